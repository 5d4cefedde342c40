package io.kube4j.cri.process;

/**
 * Config of the {@code process} runtime.
 *
 * @param pods       how many pods the node takes ({@code status.capacity.pods}, default 110 as the kubelet's maxPods)
 * @param cgroupRoot where the control group hierarchies are mounted (default /sys/fs/cgroup); containers'
 *                   cpu and memory limits are enforced in a {@code kube4j} group there when this process may
 *                   make groups (root), and reported as not enforced otherwise
 */
public record ProcessRuntimeConfig(Integer pods, String cgroupRoot) {
    public ProcessRuntimeConfig {
        pods = pods == null ? 110 : pods;
        if (pods < 1) {
            throw new IllegalArgumentException("pods must be >= 1: " + pods);
        }
        cgroupRoot = cgroupRoot == null || cgroupRoot.isBlank() ? "/sys/fs/cgroup" : cgroupRoot.strip();
    }

    public static ProcessRuntimeConfig defaults() {
        return new ProcessRuntimeConfig(null, null);
    }
}
