package io.kube4j.cri.process;

/**
 * Config of the {@code process} runtime.
 *
 * @param pods how many pods the node takes ({@code status.capacity.pods}, default 110 as the kubelet's maxPods)
 */
public record ProcessRuntimeConfig(Integer pods) {
    public ProcessRuntimeConfig {
        pods = pods == null ? 110 : pods;
        if (pods < 1) {
            throw new IllegalArgumentException("pods must be >= 1: " + pods);
        }
    }

    public static ProcessRuntimeConfig defaults() {
        return new ProcessRuntimeConfig(null);
    }
}
