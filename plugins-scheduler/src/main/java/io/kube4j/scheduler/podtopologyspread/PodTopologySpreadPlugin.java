package io.kube4j.scheduler.podtopologyspread;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PreFilterExtensions;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.ScoreExtensions;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.nodeaffinity.RequiredNodeAffinity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class PodTopologySpreadPlugin implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin,
        ScoreExtensions, EnqueueExtensions {

    static final String REASON_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
    static final String REASON_MISSING_LABEL = REASON_CONSTRAINTS + " (missing required label)";

    private static final CycleState.Key<PreFilterState> PRE_FILTER_KEY =
            new CycleState.Key<>("PreFilter" + PodTopologySpreadFactory.NAME, PreFilterState.class);
    private static final CycleState.Key<PreScoreState> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + PodTopologySpreadFactory.NAME, PreScoreState.class);

    record Pair(String key, String value) {
    }

    /**
     * The two domains with the fewest matching pods of one topology key: the first always holds
     * the minimum; the second is at least the first but not necessarily the second smallest, which
     * is enough for preemption's one-node-at-a-time what-ifs (as kube-scheduler's criticalPaths).
     */
    static final class CriticalPaths {
        private String firstValue;
        private int firstCount = Integer.MAX_VALUE;
        private String secondValue;
        private int secondCount = Integer.MAX_VALUE;

        CriticalPaths copy() {
            CriticalPaths copy = new CriticalPaths();
            copy.firstValue = firstValue;
            copy.firstCount = firstCount;
            copy.secondValue = secondValue;
            copy.secondCount = secondCount;
            return copy;
        }

        int min() {
            return firstCount;
        }

        void update(String value, int count) {
            if (value.equals(firstValue) || value.equals(secondValue)) {
                if (value.equals(firstValue)) {
                    firstCount = count;
                } else {
                    secondCount = count;
                }
                if (firstCount > secondCount) {
                    String v = firstValue;
                    int c = firstCount;
                    firstValue = secondValue;
                    firstCount = secondCount;
                    secondValue = v;
                    secondCount = c;
                }
            } else if (count < firstCount) {
                secondValue = firstValue;
                secondCount = firstCount;
                firstValue = value;
                firstCount = count;
            } else if (count < secondCount) {
                secondValue = value;
                secondCount = count;
            }
        }
    }

    /** The pod's hard constraints and the matching pods per domain; AddPod/RemovePod change copies only. */
    static final class PreFilterState implements CycleState.StateData {
        final List<SpreadConstraint> constraints;
        final RequiredNodeAffinity requiredNodeAffinity;
        final Map<Pair, Integer> matching;
        final Map<String, CriticalPaths> criticalPaths;
        // The number of domains per key does not change with AddPod/RemovePod, so it is shared by copies.
        final Map<String, Integer> domains;

        PreFilterState(List<SpreadConstraint> constraints, RequiredNodeAffinity requiredNodeAffinity, Map<Pair, Integer> matching,
                       Map<String, CriticalPaths> criticalPaths, Map<String, Integer> domains) {
            this.constraints = constraints;
            this.requiredNodeAffinity = requiredNodeAffinity;
            this.matching = matching;
            this.criticalPaths = criticalPaths;
            this.domains = domains;
        }

        /** The global minimum for skew: 0 while there are fewer eligible domains than minDomains. */
        int minMatching(SpreadConstraint c) {
            if (domains.getOrDefault(c.topologyKey(), 0) < c.minDomains()) {
                return 0;
            }
            CriticalPaths paths = criticalPaths.get(c.topologyKey());
            return paths == null ? 0 : paths.min();
        }

        @Override
        public PreFilterState copy() {
            Map<String, CriticalPaths> paths = new HashMap<>();
            criticalPaths.forEach((key, value) -> paths.put(key, value.copy()));
            return new PreFilterState(constraints, requiredNodeAffinity, new HashMap<>(matching), paths, domains);
        }
    }

    /**
     * What Score needs: the soft constraints, the nodes not scored (missing a topology label), the
     * matching pods per constraint and topology value (hostname constraints are counted per node
     * at Score), and each constraint's weight from its number of domains.
     */
    record PreScoreState(List<SpreadConstraint> constraints, Set<String> ignoredNodes, List<Map<String, long[]>> counts,
                         double[] weights, List<Map<String, Counted>> remembered, String namespace)
            implements CycleState.StateData {
    }

    private final SchedulingContext context;
    private final List<TopologySpreadConstraint> defaultConstraints;
    private final boolean systemDefaulted;

    PodTopologySpreadPlugin(PodTopologySpreadArgs args, SchedulingContext context) {
        requireNonNull(args, "args is null");
        this.context = requireNonNull(context, "context is null");
        this.defaultConstraints = args.effectiveDefaultConstraints();
        this.systemDefaulted = args.defaultingType() == PodTopologySpreadArgs.DefaultingType.SYSTEM;
    }

    @Override
    public String name() {
        return PodTopologySpreadFactory.NAME;
    }

    /** The pod's own constraints with {@code action}, or the defaults with its workload's selector when it has none. */
    private List<SpreadConstraint> constraints(Pod pod, String action) {
        List<TopologySpreadConstraint> own = pod.getSpec() == null ? null : pod.getSpec().getTopologySpreadConstraints();
        if (own != null && !own.isEmpty()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            return SpreadConstraint.of(own, labels == null ? Map.of() : labels, action);
        }
        if (defaultConstraints.isEmpty()) {
            return List.of();
        }
        return SpreadConstraint.withSelector(defaultConstraints, SpreadConstraint.workloadSelector(pod), action);
    }

    /**
     * SKIP without DoNotSchedule constraints (the system defaults are all ScheduleAnyway, so a pod
     * without constraints of its own costs nothing here). Otherwise one scan of the snapshot:
     * for every node with all topology labels that the inclusion policies admit, its matching pods
     * count for its domain.
     */
    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod) {
        List<SpreadConstraint> constraints;
        try {
            constraints = constraints(pod, PodTopologySpreadArgs.DO_NOT_SCHEDULE);
        } catch (IllegalArgumentException e) {
            return PreFilterResult.of(Status.error("obtaining pod's hard topology spread constraints: " + e.getMessage()));
        }
        if (constraints.isEmpty()) {
            return PreFilterResult.of(Status.skip());
        }
        RequiredNodeAffinity requiredNodeAffinity = RequiredNodeAffinity.of(pod);
        String namespace = namespace(pod);
        Map<Pair, Integer> matching = new HashMap<>();
        List<Map<String, Counted>> remembered = remembered(constraints, namespace);
        for (NodeInfo nodeInfo : context.snapshot().list()) {
            Node node = nodeInfo.node();
            if (!SpreadConstraint.hasAllTopologyKeys(node, constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (c.includes(pod, node, requiredNodeAffinity)) {
                    Pair pair = new Pair(c.topologyKey(), node.getMetadata().getLabels().get(c.topologyKey()));
                    matching.merge(pair, count(remembered.get(i), c, nodeInfo, namespace), Integer::sum);
                }
            }
        }
        Map<String, Integer> domains = new HashMap<>();
        Map<String, CriticalPaths> criticalPaths = new HashMap<>();
        for (SpreadConstraint c : constraints) {
            criticalPaths.put(c.topologyKey(), new CriticalPaths());
        }
        matching.forEach((pair, count) -> {
            domains.merge(pair.key(), 1, Integer::sum);
            criticalPaths.get(pair.key()).update(pair.value(), count);
        });
        state.write(PRE_FILTER_KEY, new PreFilterState(constraints, requiredNodeAffinity, matching, criticalPaths, Map.copyOf(domains)));
        return PreFilterResult.allNodes();
    }

    @Override
    public Optional<PreFilterExtensions> preFilterExtensions() {
        return Optional.of(this);
    }

    @Override
    public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        state.read(PRE_FILTER_KEY).ifPresent(s -> update(s, podToSchedule, podToAdd, nodeInfo.node(), 1));
        return Status.success();
    }

    @Override
    public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        state.read(PRE_FILTER_KEY).ifPresent(s -> update(s, podToSchedule, podToRemove, nodeInfo.node(), -1));
        return Status.success();
    }

    private static void update(PreFilterState s, Pod preemptor, PodInfo changed, Node node, int delta) {
        if (!changed.namespace().equals(namespace(preemptor)) || !SpreadConstraint.hasAllTopologyKeys(node, s.constraints)) {
            return;
        }
        for (SpreadConstraint c : s.constraints) {
            if (!c.selector().matches(changed.pod().getMetadata().getLabels()) || !c.includes(preemptor, node, s.requiredNodeAffinity)) {
                continue;
            }
            Pair pair = new Pair(c.topologyKey(), node.getMetadata().getLabels().get(c.topologyKey()));
            int count = s.matching.merge(pair, delta, Integer::sum);
            s.criticalPaths.get(c.topologyKey()).update(pair.value(), count);
        }
    }

    /**
     * For every hard constraint: the node must have the topology label (unresolvable otherwise), and
     * the matching pods of its domain, plus one if the pod matches itself, minus the global minimum,
     * must not exceed maxSkew.
     */
    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Optional<PreFilterState> read = state.read(PRE_FILTER_KEY);
        if (read.isEmpty() || read.get().constraints.isEmpty()) {
            return Status.success();
        }
        PreFilterState s = read.get();
        Map<String, String> labels = nodeInfo.node().getMetadata().getLabels();
        for (SpreadConstraint c : s.constraints) {
            String value = labels == null ? null : labels.get(c.topologyKey());
            if (value == null) {
                return Status.unschedulableAndUnresolvable(REASON_MISSING_LABEL);
            }
            int self = c.selector().matches(pod.getMetadata().getLabels()) ? 1 : 0;
            int skew = s.matching.getOrDefault(new Pair(c.topologyKey(), value), 0) + self - s.minMatching(c);
            if (skew > c.maxSkew()) {
                return Status.unschedulable(REASON_CONSTRAINTS);
            }
        }
        return Status.success();
    }

    /**
     * SKIP without ScheduleAnyway constraints. Nodes missing a topology label are not scored, except
     * under the system defaults (so that nodes without zones still spread by host). Matching pods
     * are counted per domain over all nodes the inclusion policies admit; hostname domains are
     * counted at Score, node by node.
     */
    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        List<NodeInfo> allNodes = context.snapshot().list();
        if (allNodes.isEmpty()) {
            return Status.skip();
        }
        List<SpreadConstraint> constraints;
        try {
            constraints = constraints(pod, PodTopologySpreadArgs.SCHEDULE_ANYWAY);
        } catch (IllegalArgumentException e) {
            return Status.error("obtaining pod's soft topology spread constraints: " + e.getMessage());
        }
        if (constraints.isEmpty()) {
            return Status.skip();
        }
        List<TopologySpreadConstraint> own = pod.getSpec() == null ? null : pod.getSpec().getTopologySpreadConstraints();
        boolean requireAllTopologies = (own != null && !own.isEmpty()) || !systemDefaulted;
        Set<String> ignored = new HashSet<>();
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) {
            counts.add(new HashMap<>());
        }
        // Score reads the counts of a feasible node's own label values only.
        boolean anyLabelled = false;
        for (NodeInfo nodeInfo : feasibleNodes) {
            Node node = nodeInfo.node();
            if (requireAllTopologies && !SpreadConstraint.hasAllTopologyKeys(node, constraints)) {
                ignored.add(nodeInfo.nodeName());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                String key = constraints.get(i).topologyKey();
                if (!key.equals(PodTopologySpreadArgs.HOSTNAME)) {
                    String value = label(node, key, null);
                    anyLabelled |= value != null;
                    counts.get(i).computeIfAbsent(value == null ? "" : value, v -> new long[1]);
                }
            }
        }
        double[] weights = new double[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            int size = constraints.get(i).topologyKey().equals(PodTopologySpreadArgs.HOSTNAME)
                    ? feasibleNodes.size() - ignored.size() : counts.get(i).size();
            weights[i] = Math.log(size + 2);
        }
        RequiredNodeAffinity requiredNodeAffinity = RequiredNodeAffinity.of(pod);
        String namespace = namespace(pod);
        List<Map<String, Counted>> remembered = remembered(constraints, namespace);
        // Without a feasible node labelled for a non-hostname key (no zones, say), Score reads no domain count.
        if (anyLabelled) {
            for (NodeInfo nodeInfo : allNodes) {
                Node node = nodeInfo.node();
                if (requireAllTopologies && !SpreadConstraint.hasAllTopologyKeys(node, constraints)) {
                    continue;
                }
                for (int i = 0; i < constraints.size(); i++) {
                    SpreadConstraint c = constraints.get(i);
                    String value = label(node, c.topologyKey(), null);
                    long[] count = value == null ? null : counts.get(i).get(value);
                    if (count != null && c.includes(pod, node, requiredNodeAffinity)) {
                        count[0] += count(remembered.get(i), c, nodeInfo, namespace);
                    }
                }
            }
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(constraints, ignored, counts, weights, remembered, namespace));
        return Status.success();
    }

    /** A node's pods as counted for one selector: valid while the node still has that very list. */
    record Counted(List<PodInfo> pods, int count) {
    }

    /** Per namespace and selector, per node: the count of matching pods, kept between scheduling cycles. */
    private final Map<String, Map<String, Counted>> counted = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int COUNTED_SELECTORS = 256;

    /**
     * The remembered counts of each constraint's selector in {@code namespace}, looked up once per
     * cycle (the key is the selector's text); null for a selector that matches everything.
     */
    private List<Map<String, Counted>> remembered(List<SpreadConstraint> constraints, String namespace) {
        if (counted.size() > COUNTED_SELECTORS) {
            counted.clear();
        }
        List<Map<String, Counted>> maps = new ArrayList<>(constraints.size());
        for (SpreadConstraint c : constraints) {
            maps.add(c.selector().isEverything() ? null : counted.computeIfAbsent(namespace + "\u0000" + c.selector(),
                    k -> new java.util.concurrent.ConcurrentHashMap<>()));
        }
        return maps;
    }

    /**
     * {@link SpreadConstraint#countMatching} of the node's pods, remembered per node until its pods
     * change: a NodeInfo's pod list is immutable and replaced when a pod comes or goes, so the same
     * list means the same count. Without it, scheduling the n-th replica of a workload counts the
     * n - 1 before it again: quadratic in the replicas.
     */
    private static int count(Map<String, Counted> byNode, SpreadConstraint c, NodeInfo nodeInfo, String namespace) {
        if (byNode == null) {
            return 0;
        }
        Counted known = byNode.get(nodeInfo.nodeName());
        if (known != null && known.pods() == nodeInfo.pods()) {
            return known.count();
        }
        int count = c.countMatching(nodeInfo.pods(), namespace);
        byNode.put(nodeInfo.nodeName(), new Counted(nodeInfo.pods(), count));
        return count;
    }

    /**
     * The node's domains' matching pods, each weighted by log(domains + 2) plus maxSkew - 1 to
     * soften small differences; lower is better, NormalizeScore reverses it. Ignored nodes score 0.
     */
    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_KEY).orElseThrow(() -> new IllegalStateException("PreScore did not run"));
        if (s.ignoredNodes().contains(nodeInfo.nodeName())) {
            return 0;
        }
        Node node = nodeInfo.node();
        double score = 0;
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint c = s.constraints().get(i);
            String value = label(node, c.topologyKey(), null);
            if (value == null) {
                continue;
            }
            long count;
            if (c.topologyKey().equals(PodTopologySpreadArgs.HOSTNAME)) {
                count = count(s.remembered().get(i), c, nodeInfo, s.namespace());
            } else {
                long[] counted = s.counts().get(i).get(value);
                count = counted == null ? 0 : counted[0];
            }
            score += count * s.weights()[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    /**
     * As kube-scheduler: {@code 100 * (max + min - score) / max} over the scored nodes, all 100
     * when every score is 0, and 0 for the ignored nodes.
     */
    @Override
    public List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores) {
        Set<String> ignored = state.read(PRE_SCORE_KEY).map(PreScoreState::ignoredNodes).orElse(Set.of());
        long min = Long.MAX_VALUE;
        long max = 0;
        for (NodeScore score : scores) {
            if (!ignored.contains(score.name())) {
                min = Math.min(min, score.score());
                max = Math.max(max, score.score());
            }
        }
        List<NodeScore> normalized = new ArrayList<>(scores.size());
        for (NodeScore score : scores) {
            long value;
            if (ignored.contains(score.name())) {
                value = 0;
            } else if (max == 0) {
                value = NodeScore.MAX_NODE_SCORE;
            } else {
                value = NodeScore.MAX_NODE_SCORE * (max + min - score.score()) / max;
            }
            normalized.add(new NodeScore(score.name(), value));
        }
        return normalized;
    }

    /** Pods coming, going or relabelled change the counts; nodes coming, going, relabelled or retainted change the domains. */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.ADD, ActionType.UPDATE_POD_LABEL, ActionType.DELETE)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.DELETE,
                        ActionType.UPDATE_NODE_LABEL, ActionType.UPDATE_NODE_TAINT)));
    }

    private static String label(Node node, String key, String absent) {
        Map<String, String> labels = node.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(key);
        return value == null ? absent : value;
    }

    private static String namespace(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        return namespace == null ? "" : namespace;
    }
}
