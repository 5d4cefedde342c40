package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/** Prepares the node or the cluster before the pod is bound (binding volumes, say). */
public interface PreBindPlugin extends SchedulingPlugin {

    /**
     * SUCCESS to go on binding; anything else fails the binding cycle, unreserves, and retries
     * the pod. May block on the API server; runs on the pod's own binding thread (a virtual
     * thread), concurrently with other pods' cycles; an interrupt means the attempt was abandoned.
     */
    Status preBind(CycleState state, Pod pod, String nodeName);
}
