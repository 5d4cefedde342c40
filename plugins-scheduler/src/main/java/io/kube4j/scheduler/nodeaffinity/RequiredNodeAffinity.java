package io.kube4j.scheduler.nodeaffinity;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod's {@code nodeSelector} and required node affinity, parsed once, for the plugins that need
 * to know which nodes a pod may land on ({@code PodTopologySpread}'s {@code nodeAffinityPolicy: Honor}),
 * as kube's {@code nodeaffinity.GetRequiredNodeAffinity}. Thread-safe.
 */
public final class RequiredNodeAffinity {
    private final NodeAffinityPlugin.RequiredAffinity required;

    private RequiredNodeAffinity(NodeAffinityPlugin.RequiredAffinity required) {
        this.required = required;
    }

    public static RequiredNodeAffinity of(Pod pod) {
        return new RequiredNodeAffinity(NodeAffinityPlugin.requiredAffinity(pod));
    }

    /** Whether {@code node} has every nodeSelector label and matches one required term (if there are any). */
    public boolean matches(Node node) {
        return required.matches(node);
    }
}
