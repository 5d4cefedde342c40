package io.kube4j.api.node;

/**
 * Cgroup limits of a container, computed by the kubelet from its requests and limits; 0 means unset.
 *
 * @param cpuPeriod CFS period in microseconds
 * @param cpuQuota CFS quota in microseconds per period (the CPU limit)
 * @param cpuShares relative weight (the CPU request)
 * @param memoryLimitBytes the memory limit
 * @param oomScoreAdj the OOM killer adjustment for the pod's QoS class
 */
public record LinuxContainerResources(long cpuPeriod, long cpuQuota, long cpuShares, long memoryLimitBytes,
                                      long oomScoreAdj) {
    public LinuxContainerResources {
        if (cpuPeriod < 0 || cpuQuota < 0 || cpuShares < 0 || memoryLimitBytes < 0) {
            throw new IllegalArgumentException("cpu and memory settings must be >= 0");
        }
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new IllegalArgumentException("oomScoreAdj must be in -1000..1000: " + oomScoreAdj);
        }
    }

    public static final LinuxContainerResources UNLIMITED = new LinuxContainerResources(0, 0, 0, 0, 0);
}
