package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The last gate before binding: allows, denies, or parks the pod (gang scheduling waits until a
 * whole group is reserved). A waiting pod keeps its reservation; other plugins or the same one
 * later {@link WaitingPod#allow allow} or {@link WaitingPod#reject reject} it through
 * {@link SchedulingContext#waitingPod}.
 */
public interface PermitPlugin extends SchedulingPlugin {

    /**
     * Decides for {@code pod} on {@code nodeName}. The pod binds when every PermitPlugin allowed
     * it (at once, or later while waiting); a denial or a timeout unreserves it. No I/O;
     * scheduling thread: never wait here, answer WAIT instead.
     */
    PermitResult permit(CycleState state, Pod pod, String nodeName);
}
