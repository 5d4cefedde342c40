package io.kube4j.scheduler.schedulinggates;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.PreEnqueuePlugin;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class SchedulingGatesPlugin implements PreEnqueuePlugin, EnqueueExtensions {

    @Override
    public String name() {
        return SchedulingGatesFactory.NAME;
    }

    @Override
    public Status preEnqueue(Pod pod) {
        List<PodSchedulingGate> gates = pod.getSpec() == null || pod.getSpec().getSchedulingGates() == null
                ? List.of() : pod.getSpec().getSchedulingGates();
        if (gates.isEmpty()) {
            return Status.success();
        }
        // Printed like Go's %v of a []string, as kube-scheduler does: "[gate-a gate-b]".
        List<String> names = gates.stream().map(PodSchedulingGate::getName).toList();
        return Status.unschedulableAndUnresolvable("waiting for scheduling gates: [" + String.join(" ", names) + "]");
    }

    /** Only the removal of the gated pod's own gates can let it in. */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(new ClusterEventWithHint(
                ClusterEvent.of(ClusterEvent.POD, ActionType.UPDATE_POD_SCHEDULING_GATES_ELIMINATED),
                SchedulingGatesPlugin::hint));
    }

    static QueueingHint hint(Pod pod, Optional<HasMetadata> oldObject, Optional<HasMetadata> newObject) {
        return newObject.filter(object -> object instanceof Pod)
                .map(object -> Objects.equals(object.getMetadata().getUid(), pod.getMetadata().getUid())
                        ? QueueingHint.QUEUE : QueueingHint.SKIP)
                .orElse(QueueingHint.SKIP);
    }
}
