package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Runs only when no node passed filtering, in profile order until one succeeds: the place of
 * preemption ({@code DefaultPreemption}).
 */
public interface PostFilterPlugin extends SchedulingPlugin {

    /**
     * Tries to make the pod schedulable, typically by evicting lower-priority pods, and nominates
     * the node it made room on. May block on the API server (deleting victims); called on the
     * scheduling thread, one pod at a time.
     *
     * @param filteredNodeStatuses why each node was rejected
     */
    PostFilterResult postFilter(CycleState state, Pod pod, NodeToStatus filteredNodeStatuses);
}
