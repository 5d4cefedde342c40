package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A pod waiting in the scheduling queue, with its history there.
 *
 * @param podInfo the pod
 * @param timestamp when it was last added to the queue (QueueSort's default tie breaker)
 * @param attempts how many scheduling cycles it has been through
 * @param initialAttemptTimestamp when its first cycle started, empty before it
 * @param unschedulablePlugins the plugins that rejected it in its last cycle: only events those
 *        plugins registered move it back to the active queue
 * @param pendingPlugins the plugins that answered PENDING in its last cycle
 * @param gatingPlugin the PreEnqueue plugin holding it back, if any
 */
public record QueuedPodInfo(PodInfo podInfo, Instant timestamp, int attempts, Optional<Instant> initialAttemptTimestamp,
                            Set<String> unschedulablePlugins, Set<String> pendingPlugins,
                            Optional<String> gatingPlugin) {

    public QueuedPodInfo {
        requireNonNull(podInfo, "podInfo is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(initialAttemptTimestamp, "initialAttemptTimestamp is null");
        unschedulablePlugins = Set.copyOf(requireNonNull(unschedulablePlugins, "unschedulablePlugins is null"));
        pendingPlugins = Set.copyOf(requireNonNull(pendingPlugins, "pendingPlugins is null"));
        requireNonNull(gatingPlugin, "gatingPlugin is null");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
        }
        if (attempts > 0 && initialAttemptTimestamp.isEmpty()) {
            throw new IllegalArgumentException("a pod with attempts has an initialAttemptTimestamp");
        }
    }

    /** A pod just added to the queue, never tried. */
    public static QueuedPodInfo added(PodInfo podInfo, Instant now) {
        return new QueuedPodInfo(podInfo, now, 0, Optional.empty(), Set.of(), Set.of(), Optional.empty());
    }
}
