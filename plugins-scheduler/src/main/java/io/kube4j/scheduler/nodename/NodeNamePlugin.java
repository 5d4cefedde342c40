package io.kube4j.scheduler.nodename;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.Status;
import java.util.List;

final class NodeNamePlugin implements FilterPlugin, EnqueueExtensions {

    static final String REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return NodeNameFactory.NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        String wanted = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (wanted == null || wanted.isEmpty() || wanted.equals(nodeInfo.nodeName())) {
            return Status.success();
        }
        return Status.unschedulableAndUnresolvable(REASON);
    }

    /** Only the named node appearing can help. */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE)));
    }
}
