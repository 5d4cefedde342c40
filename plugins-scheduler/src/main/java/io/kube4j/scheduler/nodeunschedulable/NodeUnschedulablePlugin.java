package io.kube4j.scheduler.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.tainttoleration.Tolerations;
import java.util.List;

final class NodeUnschedulablePlugin implements FilterPlugin, EnqueueExtensions {

    static final String REASON = "node(s) were unschedulable";

    // The node lifecycle controller mirrors spec.unschedulable as this taint; tolerating it is how a
    // pod (a DaemonSet's, say) opts into cordoned nodes.
    private static final Taint UNSCHEDULABLE = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect(Tolerations.NO_SCHEDULE).build();

    @Override
    public String name() {
        return NodeUnschedulableFactory.NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        var spec = nodeInfo.node().getSpec();
        if (spec == null || !Boolean.TRUE.equals(spec.getUnschedulable())) {
            return Status.success();
        }
        if (Tolerations.anyTolerates(Tolerations.of(pod), UNSCHEDULABLE)) {
            return Status.success();
        }
        return Status.unschedulableAndUnresolvable(REASON);
    }

    /** Uncordoning shows up as a taint change (the unschedulable taint goes away). */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE_NODE_TAINT)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.UPDATE_POD_TOLERATIONS)));
    }
}
