package io.kube4j.scheduler.tainttoleration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.ScoreExtensions;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import java.util.List;
import java.util.Optional;

final class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {

    private static final CycleState.Key<PreferNoScheduleTolerations> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + TaintTolerationFactory.NAME, PreferNoScheduleTolerations.class);

    /** The pod's tolerations that can tolerate a PreferNoSchedule taint. */
    record PreferNoScheduleTolerations(List<Toleration> tolerations) implements CycleState.StateData {
        PreferNoScheduleTolerations {
            tolerations = List.copyOf(tolerations);
        }
    }

    @Override
    public String name() {
        return TaintTolerationFactory.NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        List<Toleration> tolerations = Tolerations.of(pod);
        for (Taint taint : taints(nodeInfo.node())) {
            boolean doNotSchedule = Tolerations.NO_SCHEDULE.equals(taint.getEffect())
                    || Tolerations.NO_EXECUTE.equals(taint.getEffect());
            if (doNotSchedule && !Tolerations.anyTolerates(tolerations, taint)) {
                return Status.unschedulableAndUnresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
                        + (taint.getValue() == null ? "" : taint.getValue()) + "}");
            }
        }
        return Status.success();
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_KEY, preferNoScheduleTolerations(pod));
        return Status.success();
    }

    /** The number of PreferNoSchedule taints the pod does not tolerate: more is worse, hence the reverse normalization. */
    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        List<Toleration> tolerations = state.read(PRE_SCORE_KEY).orElseGet(() -> preferNoScheduleTolerations(pod)).tolerations();
        long intolerable = 0;
        for (Taint taint : taints(nodeInfo.node())) {
            if (Tolerations.PREFER_NO_SCHEDULE.equals(taint.getEffect()) && !Tolerations.anyTolerates(tolerations, taint)) {
                intolerable++;
            }
        }
        return intolerable;
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    @Override
    public List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores) {
        return ScoreExtensions.defaultNormalize(scores, true);
    }

    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE_NODE_TAINT)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.UPDATE_POD_TOLERATIONS)));
    }

    private static PreferNoScheduleTolerations preferNoScheduleTolerations(Pod pod) {
        return new PreferNoScheduleTolerations(Tolerations.of(pod).stream()
                .filter(toleration -> toleration.getEffect() == null || toleration.getEffect().isEmpty()
                        || toleration.getEffect().equals(Tolerations.PREFER_NO_SCHEDULE))
                .toList());
    }

    private static List<Taint> taints(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        return node.getSpec().getTaints();
    }
}
