package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/** Rules out nodes that cannot run the pod. */
public interface FilterPlugin extends SchedulingPlugin {

    /**
     * Whether the pod may run on {@code nodeInfo}'s node: SUCCESS; UNSCHEDULABLE when evicting
     * pods could make room (preemption will try); UNSCHEDULABLE_AND_UNRESOLVABLE when nothing
     * about other pods can help; ERROR on failure. The reasons are shown in the pod's
     * {@code FailedScheduling} event ("0/3 nodes are available: 3 Insufficient cpu").
     *
     * <p>Called concurrently for different nodes with the same state and pod; no I/O, no blocking.
     * Pure: the same inputs give the same answer (preemption re-runs it on what-if NodeInfos).
     */
    Status filter(CycleState state, Pod pod, NodeInfo nodeInfo);
}
