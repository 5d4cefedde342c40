package io.kube4j.scheduler.noderesources;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import java.util.List;

final class NodeResourcesBalancedAllocationPlugin implements PreScorePlugin, ScorePlugin {

    private static final CycleState.Key<ScoreRequest> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + NodeResourcesBalancedAllocationFactory.NAME, ScoreRequest.class);

    /** The pod's request of each balanced resource; never changed after PreScore. */
    record ScoreRequest(long[] requests) implements CycleState.StateData {
    }

    private final ResourceAllocationScorer scorer;

    NodeResourcesBalancedAllocationPlugin(NodeResourcesBalancedAllocationArgs args) {
        this.scorer = new ResourceAllocationScorer(args.resources(), true, ResourceAllocationScorer::balanced);
    }

    @Override
    public String name() {
        return NodeResourcesBalancedAllocationFactory.NAME;
    }

    /**
     * SKIP for a pod that requests none of the resources: every node would look equally balanced
     * for it, and scoring it would pile best-effort pods onto one node (kubernetes#129138).
     */
    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        long[] requests = scorer.podRequests(pod);
        if (isBestEffort(requests)) {
            return Status.skip();
        }
        state.write(PRE_SCORE_KEY, new ScoreRequest(requests));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        var request = state.read(PRE_SCORE_KEY);
        long[] requests = request.isPresent() ? request.get().requests() : scorer.podRequests(pod);
        if (request.isEmpty() && isBestEffort(requests)) {
            return 0;
        }
        return scorer.score(nodeInfo, requests);
    }

    private static boolean isBestEffort(long[] requests) {
        for (long request : requests) {
            if (request != 0) {
                return false;
            }
        }
        return true;
    }
}
