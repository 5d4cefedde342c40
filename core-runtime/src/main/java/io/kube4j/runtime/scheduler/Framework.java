package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.scheduling.BindPlugin;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PermitPlugin;
import io.kube4j.api.scheduling.PermitResult;
import io.kube4j.api.scheduling.NodeToStatus;
import io.kube4j.api.scheduling.PostBindPlugin;
import io.kube4j.api.scheduling.PostFilterPlugin;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PostFilterResult;
import io.kube4j.api.scheduling.PreBindPlugin;
import io.kube4j.api.scheduling.PreEnqueuePlugin;
import io.kube4j.api.scheduling.PreFilterExtensions;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.ReservePlugin;
import io.kube4j.api.scheduling.ScoreExtensions;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler profile: its plugins sorted into extension points once, and the runs of each
 * point. A plugin that throws gets an ERROR status naming it. Thread-safe as its plugins are.
 */
public final class Framework {
    private static final Logger log = LoggerFactory.getLogger(Framework.class);
    private static final CycleState.Key<Skipped> SKIP_FILTER = new CycleState.Key<>("kube4j.io/framework-skip-filter", Skipped.class);
    private static final CycleState.Key<Skipped> SKIP_SCORE = new CycleState.Key<>("kube4j.io/framework-skip-score", Skipped.class);

    /** A score plugin with its weight and, if it normalizes, its normalization. */
    record WeightedScore(ScorePlugin plugin, int weight, Optional<ScoreExtensions> extensions) {
    }

    /** The plugins that answered SKIP at PreFilter or PreScore in this cycle. */
    private record Skipped(Set<String> plugins) implements CycleState.StateData {
    }

    private final String schedulerName;
    private final QueueSortPlugin queueSort;
    private final List<PreEnqueuePlugin> preEnqueue;
    private final List<PreFilterPlugin> preFilter;
    private final Map<String, PreFilterExtensions> preFilterExtensions;
    private final List<FilterPlugin> filter;
    private final List<PostFilterPlugin> postFilter;
    private final List<PreScorePlugin> preScore;
    private final List<WeightedScore> score;
    private final List<ReservePlugin> reserve;
    private final List<PermitPlugin> permit;
    private final WaitingPods waiting = new WaitingPods();
    private final List<PreBindPlugin> preBind;
    private final List<BindPlugin> bind;
    private final List<PostBindPlugin> postBind;
    private final Map<String, List<String>> names;
    private final Map<String, List<ClusterEventWithHint>> registrations;

    Framework(String schedulerName, QueueSortPlugin queueSort, List<PreEnqueuePlugin> preEnqueue,
              List<PreFilterPlugin> preFilter, List<FilterPlugin> filter, List<PostFilterPlugin> postFilter,
              List<PreScorePlugin> preScore,
              List<WeightedScore> score, List<ReservePlugin> reserve, List<PermitPlugin> permit,
              List<PreBindPlugin> preBind, List<BindPlugin> bind, List<PostBindPlugin> postBind,
              Map<String, List<String>> names, Map<String, List<ClusterEventWithHint>> registrations) {
        this.schedulerName = requireNonNull(schedulerName, "schedulerName is null");
        this.queueSort = requireNonNull(queueSort, "queueSort is null");
        this.preEnqueue = List.copyOf(preEnqueue);
        this.preFilter = List.copyOf(preFilter);
        Map<String, PreFilterExtensions> extensions = new java.util.LinkedHashMap<>();
        for (PreFilterPlugin plugin : this.preFilter) {
            plugin.preFilterExtensions().ifPresent(e -> extensions.put(plugin.name(), e));
        }
        this.preFilterExtensions = java.util.Collections.unmodifiableMap(extensions);
        this.filter = List.copyOf(filter);
        this.postFilter = List.copyOf(postFilter);
        this.preScore = List.copyOf(preScore);
        this.score = List.copyOf(score);
        this.reserve = List.copyOf(reserve);
        this.permit = List.copyOf(permit);
        this.preBind = List.copyOf(preBind);
        this.bind = List.copyOf(bind);
        this.postBind = List.copyOf(postBind);
        this.names = Map.copyOf(names);
        this.registrations = Map.copyOf(registrations);
    }

    public String schedulerName() {
        return schedulerName;
    }

    public QueueSortPlugin queueSort() {
        return queueSort;
    }

    /** The plugin names enabled at each extension point ({@code score} entries as {@code Name:weight}), in order. */
    public Map<String, List<String>> pluginNames() {
        return names;
    }

    /**
     * Whether {@code event} may make {@code pod} schedulable: some plugin that rejected it
     * registered a matching event whose hint says QUEUE (a plugin that registered nothing counts as
     * interested in everything, and so does a pod no plugin rejected). A hint that throws says QUEUE.
     */
    public boolean worthRetrying(QueuedPodInfo pod, ClusterEvent event, Optional<HasMetadata> oldObject,
                                 Optional<HasMetadata> newObject) {
        if (pod.unschedulablePlugins().isEmpty()) {
            return true;
        }
        for (String plugin : pod.unschedulablePlugins()) {
            List<ClusterEventWithHint> registered = registrations.get(plugin);
            if (registered == null) {
                return true;
            }
            for (ClusterEventWithHint candidate : registered) {
                if (!candidate.event().matches(event)) {
                    continue;
                }
                try {
                    if (candidate.hint().hint(pod.podInfo().pod(), oldObject, newObject) == QueueingHint.QUEUE) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    log.warn("queueing hint of {} failed; retrying the pod", plugin, e);
                    return true;
                }
            }
        }
        return false;
    }

    /** The first PreEnqueue plugin that holds the pod back, with its status; SUCCESS when none does. */
    public Status runPreEnqueue(Pod pod) {
        for (PreEnqueuePlugin plugin : preEnqueue) {
            Status status = call(plugin.name(), () -> plugin.preEnqueue(pod));
            if (!status.isSuccess()) {
                return status.withFailedPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** Runs every PreFilter plugin; the first failure ends it. The result's node set is the intersection of all. */
    public PreFilterResult runPreFilter(CycleState state, Pod pod) {
        Set<String> skipped = new HashSet<>();
        PreFilterResult merged = PreFilterResult.allNodes();
        for (PreFilterPlugin plugin : preFilter) {
            PreFilterResult result;
            try {
                result = requireNonNull(plugin.preFilter(state, pod), "preFilter returned null");
            } catch (RuntimeException e) {
                log.warn("scheduling plugin {} failed at PreFilter", plugin.name(), e);
                return PreFilterResult.of(Status.error(e).withFailedPlugin(plugin.name()));
            }
            if (result.status().isSkip()) {
                skipped.add(plugin.name());
                continue;
            }
            if (!result.status().isSuccess()) {
                return PreFilterResult.of(result.status().withFailedPlugin(plugin.name()));
            }
            merged = merged.merge(result);
        }
        state.write(SKIP_FILTER, new Skipped(Set.copyOf(skipped)));
        return merged;
    }

    /** Runs the Filter plugins on one node, stopping at the first that does not pass it. */
    public Status runFilter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Set<String> skipped = state.read(SKIP_FILTER).map(Skipped::plugins).orElse(Set.of());
        for (FilterPlugin plugin : filter) {
            if (skipped.contains(plugin.name())) {
                continue;
            }
            Status status = call(plugin.name(), () -> plugin.filter(state, pod, nodeInfo));
            if (!status.isSuccess()) {
                return status.withFailedPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /**
     * kube-scheduler's two-pass filter: first with the pods nominated to the node that have at
     * least the pod's priority counted on it (in a state copy), then, if that passed and some were
     * added, without them, since a nominated pod may end up elsewhere and the pod must fit either
     * way. {@code nominated} are the pods nominated to this node.
     */
    public Status runFilterWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo, List<PodInfo> nominated) {
        Integer ownPriority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        int priority = ownPriority == null ? 0 : ownPriority;
        CycleState withNominated = null;
        NodeInfo nodeWithNominated = nodeInfo;
        for (PodInfo candidate : nominated) {
            if (candidate.priority() < priority || candidate.name().equals(pod.getMetadata().getName())
                    && candidate.namespace().equals(Objects.requireNonNullElse(pod.getMetadata().getNamespace(), ""))) {
                continue;
            }
            if (withNominated == null) {
                withNominated = state.copy();
            }
            nodeWithNominated = nodeWithNominated.withPod(candidate);
            Status added = runPreFilterExtensionAddPod(withNominated, pod, candidate, nodeWithNominated);
            if (!added.isSuccess()) {
                return added;
            }
        }
        if (withNominated == null) {
            return runFilter(state, pod, nodeInfo);
        }
        Status status = runFilter(withNominated, pod, nodeWithNominated);
        if (!status.isSuccess()) {
            return status;
        }
        return runFilter(state, pod, nodeInfo);
    }

    /** Each PreFilter plugin's {@code addPod} (those not skipped in this cycle); the first failure ends it. */
    public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return runPreFilterExtensions(state, (name, extensions) -> extensions.addPod(state, podToSchedule, podToAdd, nodeInfo));
    }

    /** Each PreFilter plugin's {@code removePod} (those not skipped in this cycle); the first failure ends it. */
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return runPreFilterExtensions(state,
                (name, extensions) -> extensions.removePod(state, podToSchedule, podToRemove, nodeInfo));
    }

    private Status runPreFilterExtensions(CycleState state,
                                          java.util.function.BiFunction<String, PreFilterExtensions, Status> call) {
        Set<String> skipped = state.read(SKIP_FILTER).map(Skipped::plugins).orElse(Set.of());
        for (Map.Entry<String, PreFilterExtensions> entry : preFilterExtensions.entrySet()) {
            if (skipped.contains(entry.getKey())) {
                continue;
            }
            Status status = call(entry.getKey(), () -> call.apply(entry.getKey(), entry.getValue()));
            if (!status.isSuccess()) {
                return status.withFailedPlugin(entry.getKey());
            }
        }
        return Status.success();
    }

    /** Whether any PostFilter plugin (preemption) is enabled. */
    boolean hasPostFilterPlugins() {
        return !postFilter.isEmpty();
    }

    /**
     * When no node fits: the PostFilter plugins in order until one succeeds (it made room,
     * perhaps nominating a node); else the last rejection, with the reasons of all joined.
     */
    public PostFilterResult runPostFilter(CycleState state, Pod pod, NodeToStatus filteredNodeStatuses) {
        List<String> reasons = new ArrayList<>();
        Status.Code code = Status.Code.UNSCHEDULABLE;
        for (PostFilterPlugin plugin : postFilter) {
            PostFilterResult result;
            try {
                result = requireNonNull(plugin.postFilter(state, pod, filteredNodeStatuses), "postFilter returned null");
            } catch (RuntimeException e) {
                log.warn("scheduling plugin {} failed at PostFilter", plugin.name(), e);
                return PostFilterResult.of(Status.error(e).withFailedPlugin(plugin.name()));
            }
            if (result.status().isSuccess()) {
                return result;
            }
            if (result.status().code() == Status.Code.ERROR) {
                return PostFilterResult.of(result.status().withFailedPlugin(plugin.name()));
            }
            code = result.status().code();
            reasons.addAll(result.status().reasons());
        }
        return PostFilterResult.of(new Status(code, reasons, Optional.empty()));
    }

    /** Runs every PreScore plugin; remembers those that SKIP so that their Score is not called. */
    public Status runPreScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        Set<String> skipped = new HashSet<>();
        for (PreScorePlugin plugin : preScore) {
            Status status = call(plugin.name(), () -> plugin.preScore(state, pod, feasibleNodes));
            if (status.isSkip()) {
                skipped.add(plugin.name());
            } else if (!status.isSuccess()) {
                return status.withFailedPlugin(plugin.name());
            }
        }
        state.write(SKIP_SCORE, new Skipped(Set.copyOf(skipped)));
        return Status.success();
    }

    /**
     * Scores every node with every Score plugin (nodes in parallel), normalizes each plugin's
     * scores, weights and sums them: the total per node, in the order of {@code nodes}.
     *
     * @throws ScoringException when a plugin fails or normalizes out of range
     */
    List<NodeScore> runScore(CycleState state, Pod pod, List<NodeInfo> nodes, Parallelizer parallelizer) {
        Set<String> skipped = state.read(SKIP_SCORE).map(Skipped::plugins).orElse(Set.of());
        List<WeightedScore> active = score.stream().filter(s -> !skipped.contains(s.plugin().name())).toList();
        long[][] raw = new long[active.size()][nodes.size()];
        parallelizer.until(nodes.size(), () -> false, n -> {
            for (int p = 0; p < active.size(); p++) {
                ScorePlugin plugin = active.get(p).plugin();
                try {
                    raw[p][n] = plugin.score(state, pod, nodes.get(n));
                } catch (RuntimeException e) {
                    throw new ScoringException(Status.error(e).withFailedPlugin(plugin.name()), e);
                }
                if (raw[p][n] < 0) {
                    throw new ScoringException(Status.error("plugin " + plugin.name() + " scored node "
                            + nodes.get(n).nodeName() + " " + raw[p][n] + ", below 0").withFailedPlugin(plugin.name()), null);
                }
            }
        });
        long[] total = new long[nodes.size()];
        long[][] normalizedScores = new long[active.size()][nodes.size()];
        for (int p = 0; p < active.size(); p++) {
            WeightedScore weighted = active.get(p);
            String name = weighted.plugin().name();
            List<NodeScore> scores = new ArrayList<>(nodes.size());
            for (int n = 0; n < nodes.size(); n++) {
                scores.add(new NodeScore(nodes.get(n).nodeName(), raw[p][n]));
            }
            if (weighted.extensions().isPresent()) {
                List<NodeScore> normalized;
                try {
                    normalized = weighted.extensions().get().normalizeScore(state, pod, List.copyOf(scores));
                } catch (RuntimeException e) {
                    throw new ScoringException(Status.error(e).withFailedPlugin(name), e);
                }
                if (normalized.size() != scores.size()) {
                    throw new ScoringException(Status.error("plugin " + name + " normalized " + scores.size()
                            + " scores into " + normalized.size()).withFailedPlugin(name), null);
                }
                scores = normalized;
            }
            for (int n = 0; n < nodes.size(); n++) {
                NodeScore s = scores.get(n);
                if (!s.name().equals(nodes.get(n).nodeName()) || !s.isNormalized()) {
                    throw new ScoringException(Status.error("plugin " + name + " returned an invalid score " + s
                            + " for node " + nodes.get(n).nodeName() + "; scores must be in [0, 100] in node order")
                            .withFailedPlugin(name), null);
                }
                normalizedScores[p][n] = s.score();
                total[n] += s.score() * weighted.weight();
            }
        }
        List<NodeScore> result = new ArrayList<>(nodes.size());
        for (int n = 0; n < nodes.size(); n++) {
            result.add(new NodeScore(nodes.get(n).nodeName(), total[n]));
        }
        // Kept for the explanation of this attempt: the arrays are made anyway, keeping them costs nothing.
        state.write(ScoreTable.KEY, new ScoreTable(active.stream().map(w -> w.plugin().name()).toList(),
                active.stream().mapToInt(WeightedScore::weight).toArray(), nodes.stream().map(NodeInfo::nodeName).toList(),
                raw, normalizedScores, total));
        return result;
    }

    /** Whether any Score plugin is enabled: with none, every feasible node is as good. */
    boolean hasScorePlugins() {
        return !score.isEmpty();
    }

    public Status runReserve(CycleState state, Pod pod, String nodeName) {
        for (ReservePlugin plugin : reserve) {
            Status status = call(plugin.name(), () -> plugin.reserve(state, pod, nodeName));
            if (!status.isSuccess()) {
                return status.withFailedPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** Unreserve on every Reserve plugin, in reverse order; failures are logged. */
    public void runUnreserve(CycleState state, Pod pod, String nodeName) {
        for (int i = reserve.size() - 1; i >= 0; i--) {
            ReservePlugin plugin = reserve.get(i);
            try {
                plugin.unreserve(state, pod, nodeName);
            } catch (RuntimeException e) {
                log.warn("scheduling plugin {} failed at Unreserve", plugin.name(), e);
            }
        }
    }

    /**
     * SUCCESS when every Permit plugin allows; the first denial otherwise. When some answered WAIT
     * (and none denied), the pod is parked in {@link #waitingPods()} and the answer is WAIT: the
     * binding cycle then {@link #waitOnPermit waits} for the plugins' decision.
     */
    public Status runPermit(CycleState state, Pod pod, String nodeName) {
        Map<String, Duration> waits = new LinkedHashMap<>();
        for (PermitPlugin plugin : permit) {
            PermitResult result;
            try {
                result = requireNonNull(plugin.permit(state, pod, nodeName), "permit returned null");
            } catch (RuntimeException e) {
                log.warn("scheduling plugin {} failed at Permit", plugin.name(), e);
                return Status.error(e).withFailedPlugin(plugin.name());
            }
            if (result.status().isWait()) {
                waits.put(plugin.name(), result.timeout());
            } else if (!result.status().isSuccess()) {
                return result.status().withFailedPlugin(plugin.name());
            }
        }
        if (waits.isEmpty()) {
            return Status.success();
        }
        waiting.park(pod, nodeName, waits);
        return Status.of(Status.Code.WAIT);
    }

    /** Blocks until the pod parked at Permit is allowed (SUCCESS) or rejected or timed out (the rejection). */
    public Status waitOnPermit(Pod pod) throws InterruptedException {
        return waiting.await(pod);
    }

    /** The pods of this profile waiting at Permit. */
    WaitingPods waitingPods() {
        return waiting;
    }

    public Status runPreBind(CycleState state, Pod pod, String nodeName) {
        for (PreBindPlugin plugin : preBind) {
            Status status = call(plugin.name(), () -> plugin.preBind(state, pod, nodeName));
            if (!status.isSuccess()) {
                return status.withFailedPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** The Bind plugins in order until one does not SKIP; ERROR if all skip. */
    public Status runBind(CycleState state, Pod pod, String nodeName) {
        for (BindPlugin plugin : bind) {
            Status status = call(plugin.name(), () -> plugin.bind(state, pod, nodeName));
            if (status.isSkip()) {
                continue;
            }
            return status.isSuccess() ? status : status.withFailedPlugin(plugin.name());
        }
        return Status.error("no bind plugin bound the pod");
    }

    public void runPostBind(CycleState state, Pod pod, String nodeName) {
        for (PostBindPlugin plugin : postBind) {
            try {
                plugin.postBind(state, pod, nodeName);
            } catch (RuntimeException e) {
                log.warn("scheduling plugin {} failed at PostBind", plugin.name(), e);
            }
        }
    }

    private static Status call(String plugin, java.util.function.Supplier<Status> point) {
        try {
            Status status = point.get();
            if (status == null) {
                throw new NullPointerException("plugin " + plugin + " returned a null status");
            }
            return status;
        } catch (RuntimeException e) {
            log.warn("scheduling plugin {} failed", plugin, e);
            return Status.error(e).withFailedPlugin(plugin);
        }
    }

    /** A Score plugin failed: the cycle ends with this status. */
    static final class ScoringException extends RuntimeException {
        private final transient Status status;

        ScoringException(Status status, Throwable cause) {
            super(status.message(), cause);
            this.status = status;
        }

        Status status() {
            return status;
        }
    }
}
