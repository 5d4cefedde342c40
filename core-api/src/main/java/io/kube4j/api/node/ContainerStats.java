package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How much one container uses now, as the CRI's ContainerStats: cumulative CPU time and current
 * memory, read at {@code timestamp}. Rates (nano cores) are the kubelet's to derive from two readings.
 *
 * @param cpuUsageCoreNanoSeconds CPU time the container's processes used since it started, in core nanoseconds
 * @param memoryWorkingSetBytes   the memory the container's processes hold that cannot be reclaimed (their resident set)
 * @param memoryRssBytes          the resident set size of the container's processes
 */
public record ContainerStats(String containerId, Instant timestamp, long cpuUsageCoreNanoSeconds,
                             long memoryWorkingSetBytes, long memoryRssBytes) {
    public ContainerStats {
        requireNonNull(containerId, "containerId is null");
        requireNonNull(timestamp, "timestamp is null");
    }
}
