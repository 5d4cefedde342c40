package io.kube4j.scheduler.noderesources;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

final class NodeResourcesFitPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {

    private static final CycleState.Key<PodRequest> PRE_FILTER_KEY =
            new CycleState.Key<>("PreFilter" + NodeResourcesFitFactory.NAME, PodRequest.class);
    private static final CycleState.Key<ScoreRequest> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + NodeResourcesFitFactory.NAME, ScoreRequest.class);

    record PodRequest(Resources requests) implements CycleState.StateData {
    }

    /** The pod's request of each scored resource; never changed after PreScore, so copies share it. */
    record ScoreRequest(long[] requests) implements CycleState.StateData {
    }

    private final Set<String> ignoredResources;
    private final Set<String> ignoredResourceGroups;
    private final ResourceAllocationScorer scorer;

    NodeResourcesFitPlugin(NodeResourcesFitArgs args) {
        this.ignoredResources = Set.copyOf(args.ignoredResources());
        this.ignoredResourceGroups = Set.copyOf(args.ignoredResourceGroups());
        NodeResourcesFitArgs.ScoringStrategy strategy = args.scoringStrategy();
        ResourceAllocationScorer.Function function = switch (strategy.type()) {
            case LEAST_ALLOCATED -> ResourceAllocationScorer.leastAllocated(strategy.resources());
            case MOST_ALLOCATED -> ResourceAllocationScorer.mostAllocated(strategy.resources());
            case REQUESTED_TO_CAPACITY_RATIO -> ResourceAllocationScorer.requestedToCapacityRatio(
                    strategy.resources(), strategy.requestedToCapacityRatio().shape());
        };
        this.scorer = new ResourceAllocationScorer(strategy.resources(), false, function);
    }

    @Override
    public String name() {
        return NodeResourcesFitFactory.NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod) {
        state.write(PRE_FILTER_KEY, new PodRequest(PodRequests.requests(pod)));
        return PreFilterResult.allNodes();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        var request = state.read(PRE_FILTER_KEY);
        if (request.isEmpty()) {
            return Status.error("reading \"" + PRE_FILTER_KEY.name() + "\" from cycleState: not found");
        }
        List<String> reasons = insufficientResources(request.get().requests(), nodeInfo);
        return reasons.isEmpty() ? Status.success() : Status.unschedulable(reasons.toArray(String[]::new));
    }

    /** The reasons, in kube's order: pods, cpu, memory, ephemeral-storage, then scalar resources (by name). */
    List<String> insufficientResources(Resources request, NodeInfo nodeInfo) {
        List<String> reasons = new ArrayList<>(4);
        Resources allocatable = nodeInfo.allocatable();
        Resources requested = nodeInfo.requested();
        if (nodeInfo.pods().size() + 1 > allocatable.pods()) {
            reasons.add("Too many pods");
        }
        if (request.milliCpu() == 0 && request.memoryBytes() == 0 && request.ephemeralStorageBytes() == 0
                && request.scalar().isEmpty()) {
            return reasons;
        }
        if (request.milliCpu() > 0 && request.milliCpu() > allocatable.milliCpu() - requested.milliCpu()) {
            reasons.add("Insufficient " + Resources.CPU);
        }
        if (request.memoryBytes() > 0 && request.memoryBytes() > allocatable.memoryBytes() - requested.memoryBytes()) {
            reasons.add("Insufficient " + Resources.MEMORY);
        }
        if (request.ephemeralStorageBytes() > 0
                && request.ephemeralStorageBytes() > allocatable.ephemeralStorageBytes() - requested.ephemeralStorageBytes()) {
            reasons.add("Insufficient " + Resources.EPHEMERAL_STORAGE);
        }
        for (String name : new TreeSet<>(request.scalar().keySet())) {
            long amount = request.scalar(name);
            if (amount == 0 || isIgnored(name)) {
                continue;
            }
            if (amount > allocatable.scalar(name) - requested.scalar(name)) {
                reasons.add("Insufficient " + name);
            }
        }
        return reasons;
    }

    // Only extended resources can be ignored; hugepages and other native resources are always checked.
    private boolean isIgnored(String name) {
        if (!isExtendedResource(name)) {
            return false;
        }
        return ignoredResources.contains(name) || ignoredResourceGroups.contains(name.substring(0, name.indexOf('/')));
    }

    static boolean isExtendedResource(String name) {
        boolean isNative = !name.contains("/") || name.contains("kubernetes.io/");
        return !isNative && !name.startsWith("requests.");
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_KEY, new ScoreRequest(scorer.podRequests(pod)));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        long[] requests = state.read(PRE_SCORE_KEY).map(ScoreRequest::requests).orElseGet(() -> scorer.podRequests(pod));
        return scorer.score(nodeInfo, requests);
    }

    /** Room is made by pods leaving or shrinking, or by nodes appearing or growing. */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE, ActionType.UPDATE_POD_SCALE_DOWN)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE_NODE_ALLOCATABLE,
                        ActionType.UPDATE_NODE_TAINT, ActionType.UPDATE_NODE_LABEL)));
    }
}
