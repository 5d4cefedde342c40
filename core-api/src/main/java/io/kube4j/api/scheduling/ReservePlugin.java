package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Claims node-local resources for a pod once a node is chosen, before binding, so that the next
 * cycles see them taken (the scheduler does not wait for the binding to reach the API server).
 */
public interface ReservePlugin extends SchedulingPlugin {

    /**
     * Reserves for {@code pod} on {@code nodeName}. SUCCESS, or a rejection/ERROR that fails the
     * attempt, after which {@link #unreserve} is called on every ReservePlugin. No I/O; scheduling thread.
     */
    Status reserve(CycleState state, Pod pod, String nodeName);

    /**
     * Releases what {@link #reserve} claimed, when a later point (another Reserve, Permit,
     * PreBind, Bind) failed. Called on every ReservePlugin, in reverse order, including those
     * whose reserve was not called or failed, so it must be idempotent and must tolerate having
     * nothing to release. Must not fail; may run on a binding thread, concurrently with other
     * pods' cycles.
     */
    void unreserve(CycleState state, Pod pod, String nodeName);
}
