package io.kube4j.scheduler.queuesort;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.QueuedPodInfo;

final class PrioritySortPlugin implements QueueSortPlugin {

    @Override
    public String name() {
        return PrioritySortFactory.NAME;
    }

    @Override
    public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
        int priorityA = priority(a.podInfo().pod());
        int priorityB = priority(b.podInfo().pod());
        return priorityA > priorityB || (priorityA == priorityB && a.timestamp().isBefore(b.timestamp()));
    }

    // A pod admitted without the Priority admission plugin has no spec.priority; kube counts it as 0.
    static int priority(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getPriority() == null) {
            return 0;
        }
        return pod.getSpec().getPriority();
    }
}
