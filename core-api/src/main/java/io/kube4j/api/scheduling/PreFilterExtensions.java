package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Keeps a PreFilterPlugin's precomputed state right when preemption evaluates "what if this pod
 * were (not) on this node": the framework calls these on a {@link CycleState#copy() copy} of the
 * state, then runs Filter on a matching what-if {@link NodeInfo}. No I/O; may be called from
 * several threads, each with its own state copy.
 */
public interface PreFilterExtensions {

    /** Updates {@code state} as if {@code podToAdd} were on {@code nodeInfo}'s node. SUCCESS, or ERROR. */
    Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo);

    /** Updates {@code state} as if {@code podToRemove} were gone from {@code nodeInfo}'s node. SUCCESS, or ERROR. */
    Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo);
}
