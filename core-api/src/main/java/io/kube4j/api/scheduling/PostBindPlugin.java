package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/** Learns that a pod was bound, to clean up what it kept for it. Informational. */
public interface PostBindPlugin extends SchedulingPlugin {

    /** Called after a successful bind, on the pod's binding thread. Must not fail; should not block long. */
    void postBind(CycleState state, Pod pod, String nodeName);
}
