package io.kube4j.scheduler.interpodaffinity;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
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
import io.kube4j.scheduler.interpodaffinity.AffinityTerms.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class InterPodAffinityPlugin implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin,
        ScoreExtensions, EnqueueExtensions {

    static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    private static final CycleState.Key<PreFilterState> PRE_FILTER_KEY =
            new CycleState.Key<>("PreFilter" + InterPodAffinityFactory.NAME, PreFilterState.class);
    private static final CycleState.Key<PreScoreState> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + InterPodAffinityFactory.NAME, PreScoreState.class);

    /**
     * What Filter needs, computed once per cycle: per topology pair, how many existing pods' required
     * anti-affinity terms select the incoming pod, and how many existing pods the incoming pod's
     * required affinity and anti-affinity terms select. Mutable by AddPod/RemovePod, on copies only.
     */
    static final class PreFilterState implements CycleState.StateData {
        final AffinityTerms terms;
        final TopologyCounts existingAntiAffinity;
        final TopologyCounts affinity;
        final TopologyCounts antiAffinity;

        PreFilterState(AffinityTerms terms, TopologyCounts existingAntiAffinity, TopologyCounts affinity, TopologyCounts antiAffinity) {
            this.terms = terms;
            this.existingAntiAffinity = existingAntiAffinity;
            this.affinity = affinity;
            this.antiAffinity = antiAffinity;
        }

        @Override
        public PreFilterState copy() {
            return new PreFilterState(terms, existingAntiAffinity.copy(), affinity.copy(), antiAffinity.copy());
        }
    }

    /**
     * What Score needs: the score each topology value earns ({@code topologyKey → value → score}),
     * and the lowest raw score among the feasible nodes, subtracted so that scores are never negative.
     */
    record PreScoreState(Map<String, Map<String, Long>> topologyScores, long offset) implements CycleState.StateData {
    }

    private final InterPodAffinityArgs args;
    private final SchedulingContext context;

    InterPodAffinityPlugin(InterPodAffinityArgs args, SchedulingContext context) {
        this.args = requireNonNull(args, "args is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public String name() {
        return InterPodAffinityFactory.NAME;
    }

    /**
     * SKIP when the pod has no required (anti-)affinity and no pod in the snapshot has required
     * anti-affinity: the common case costs one look at the snapshot's precomputed list. Otherwise
     * one scan: the nodes hosting pods with required anti-affinity, and, only if the pod has
     * required terms, every pod of the cluster.
     */
    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod) {
        NodeInfoLister snapshot = context.snapshot();
        List<NodeInfo> withAntiAffinity = snapshot.havePodsWithRequiredAntiAffinityList();
        AffinityTerms terms;
        try {
            terms = AffinityTerms.of(pod);
        } catch (IllegalArgumentException e) {
            return PreFilterResult.of(Status.error("parsing the pod's affinity terms: " + e.getMessage()));
        }
        if (!terms.hasRequired() && withAntiAffinity.isEmpty()) {
            return PreFilterResult.of(Status.skip());
        }
        TopologyCounts existingAntiAffinity = new TopologyCounts();
        for (NodeInfo node : withAntiAffinity) {
            for (PodInfo existing : node.pods()) {
                if (existing.hasRequiredPodAntiAffinity()) {
                    countExistingAntiAffinity(existingAntiAffinity, existing.pod(), pod, node.node(), 1);
                }
            }
        }
        TopologyCounts affinity = new TopologyCounts();
        TopologyCounts antiAffinity = new TopologyCounts();
        if (terms.hasRequired()) {
            for (NodeInfo node : snapshot.list()) {
                for (PodInfo existing : node.pods()) {
                    countIncoming(terms, affinity, antiAffinity, existing.pod(), node.node(), 1);
                }
            }
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(terms, existingAntiAffinity, affinity, antiAffinity));
        return PreFilterResult.allNodes();
    }

    @Override
    public Optional<PreFilterExtensions> preFilterExtensions() {
        return Optional.of(this);
    }

    @Override
    public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return update(state, podToSchedule, podToAdd, nodeInfo, 1);
    }

    @Override
    public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
        return update(state, podToSchedule, podToRemove, nodeInfo, -1);
    }

    private Status update(CycleState state, Pod podToSchedule, PodInfo changed, NodeInfo nodeInfo, long delta) {
        Optional<PreFilterState> read = state.read(PRE_FILTER_KEY);
        if (read.isEmpty()) {
            return Status.success();
        }
        PreFilterState s = read.get();
        if (changed.hasRequiredPodAntiAffinity()) {
            countExistingAntiAffinity(s.existingAntiAffinity, changed.pod(), podToSchedule, nodeInfo.node(), delta);
        }
        countIncoming(s.terms, s.affinity, s.antiAffinity, changed.pod(), nodeInfo.node(), delta);
        return Status.success();
    }

    /**
     * Affinity first (unresolvable: evicting pods cannot create a pod to be near), then the pod's
     * anti-affinity, then the existing pods' anti-affinity (both resolvable by preemption).
     */
    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Optional<PreFilterState> read = state.read(PRE_FILTER_KEY);
        if (read.isEmpty()) {
            return Status.success();
        }
        PreFilterState s = read.get();
        Node node = nodeInfo.node();
        if (!satisfiesPodAffinity(s, pod, node)) {
            return Status.unschedulableAndUnresolvable(REASON_AFFINITY);
        }
        if (!satisfiesPodAntiAffinity(s, node)) {
            return Status.unschedulable(REASON_ANTI_AFFINITY);
        }
        if (!satisfiesExistingPodsAntiAffinity(s, node)) {
            return Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
        }
        return Status.success();
    }

    /**
     * Every required affinity term needs its topology label on the node and a matching pod in the
     * node's domain, except for the first pod of a group that selects itself: when no pod in the
     * cluster matches the terms and the pod matches all of them, any node with the labels will do.
     */
    private static boolean satisfiesPodAffinity(PreFilterState s, Pod pod, Node node) {
        boolean podsExist = true;
        for (Term term : s.terms.requiredAffinity()) {
            String value = term.topologyValue(node);
            if (value == null) {
                return false;
            }
            if (s.affinity.get(term.topologyKey(), value) <= 0) {
                podsExist = false;
            }
        }
        return podsExist || (s.affinity.isEmpty() && s.terms.matchesAllRequiredAffinity(pod));
    }

    private static boolean satisfiesPodAntiAffinity(PreFilterState s, Node node) {
        if (s.antiAffinity.isEmpty()) {
            return true;
        }
        for (Term term : s.terms.requiredAntiAffinity()) {
            String value = term.topologyValue(node);
            if (value != null && s.antiAffinity.get(term.topologyKey(), value) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean satisfiesExistingPodsAntiAffinity(PreFilterState s, Node node) {
        if (s.existingAntiAffinity.isEmpty()) {
            return true;
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels == null) {
            return true;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (s.existingAntiAffinity.get(label.getKey(), label.getValue()) > 0) {
                return false;
            }
        }
        return true;
    }

    // The existing pod's required anti-affinity terms that select the incoming pod, per topology pair of its node.
    private static void countExistingAntiAffinity(TopologyCounts counts, Pod existing, Pod incoming, Node node, long delta) {
        List<Term> terms;
        try {
            terms = AffinityTerms.of(existing).requiredAntiAffinity();
        } catch (IllegalArgumentException e) {
            // The API server rejects such pods; one that slipped through constrains nothing.
            return;
        }
        for (Term term : terms) {
            String value = term.topologyValue(node);
            if (value != null && term.matches(incoming)) {
                counts.add(term.topologyKey(), value, delta);
            }
        }
    }

    // An existing pod counts for the incoming pod's affinity only if it matches all required affinity
    // terms, and for its anti-affinity per term it matches.
    private static void countIncoming(AffinityTerms terms, TopologyCounts affinity, TopologyCounts antiAffinity, Pod existing,
                                      Node node, long delta) {
        if (terms.matchesAllRequiredAffinity(existing)) {
            for (Term term : terms.requiredAffinity()) {
                String value = term.topologyValue(node);
                if (value != null) {
                    affinity.add(term.topologyKey(), value, delta);
                }
            }
        }
        for (Term term : terms.requiredAntiAffinity()) {
            String value = term.topologyValue(node);
            if (value != null && term.matches(existing)) {
                antiAffinity.add(term.topologyKey(), value, delta);
            }
        }
    }

    /**
     * Sums, per topology value, the weights of the pod's preferred terms matched by existing pods
     * there (anti-affinity subtracting), and symmetrically the existing pods' preferred terms and
     * required affinity terms ({@code hardPodAffinityWeight}) the pod matches. Without preferred
     * terms of its own the pod only looks at nodes hosting pods with affinity; SKIP when nothing
     * scored at all.
     */
    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        if (feasibleNodes.isEmpty()) {
            return Status.skip();
        }
        AffinityTerms terms;
        try {
            terms = AffinityTerms.of(pod);
        } catch (IllegalArgumentException e) {
            return Status.error("parsing the pod's affinity terms: " + e.getMessage());
        }
        boolean hasPreferred = terms.hasPreferred();
        if (args.ignorePreferredTermsOfExistingPods() && !hasPreferred) {
            return Status.skip();
        }
        NodeInfoLister snapshot = context.snapshot();
        List<NodeInfo> nodes = hasPreferred ? snapshot.list() : snapshot.havePodsWithAffinityList();
        Map<String, Map<String, Long>> scores = new HashMap<>();
        for (NodeInfo node : nodes) {
            Map<String, String> labels = node.node().getMetadata().getLabels();
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            for (PodInfo existing : node.pods()) {
                if (hasPreferred || existing.hasPodAffinity()) {
                    scoreExistingPod(scores, terms, pod, existing.pod(), node.node());
                }
            }
        }
        if (scores.isEmpty()) {
            return Status.skip();
        }
        long min = Long.MAX_VALUE;
        for (NodeInfo node : feasibleNodes) {
            min = Math.min(min, rawScore(scores, node.node()));
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(scores, min));
        return Status.success();
    }

    private void scoreExistingPod(Map<String, Map<String, Long>> scores, AffinityTerms incomingTerms, Pod incoming, Pod existing,
                                  Node node) {
        addMatching(scores, incomingTerms.preferredAffinity(), existing, node, 1);
        addMatching(scores, incomingTerms.preferredAntiAffinity(), existing, node, -1);
        AffinityTerms existingTerms;
        try {
            existingTerms = AffinityTerms.of(existing);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (args.hardPodAffinityWeight() > 0) {
            for (Term term : existingTerms.requiredAffinity()) {
                addIfMatches(scores, term, args.hardPodAffinityWeight(), incoming, node);
            }
        }
        addMatching(scores, existingTerms.preferredAffinity(), incoming, node, 1);
        addMatching(scores, existingTerms.preferredAntiAffinity(), incoming, node, -1);
    }

    private static void addMatching(Map<String, Map<String, Long>> scores, List<Term> terms, Pod pod, Node node, int sign) {
        for (Term term : terms) {
            addIfMatches(scores, term, (long) term.weight() * sign, pod, node);
        }
    }

    private static void addIfMatches(Map<String, Map<String, Long>> scores, Term term, long weight, Pod pod, Node node) {
        String value = term.topologyValue(node);
        if (value != null && term.matches(pod)) {
            scores.computeIfAbsent(term.topologyKey(), key -> new HashMap<>()).merge(value, weight, Long::sum);
        }
    }

    private static long rawScore(Map<String, Map<String, Long>> scores, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels == null) {
            return 0;
        }
        long score = 0;
        for (Map.Entry<String, Map<String, Long>> topology : scores.entrySet()) {
            String value = labels.get(topology.getKey());
            if (value != null) {
                score += topology.getValue().getOrDefault(value, 0L);
            }
        }
        return score;
    }

    /** The node's topology values' scores, minus the lowest of the feasible nodes (the raw score may be negative). */
    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_KEY).orElseThrow(() -> new IllegalStateException("PreScore did not run"));
        return rawScore(s.topologyScores(), nodeInfo.node()) - s.offset();
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    /** Min-max scaling to 0..100, as kube-scheduler: the least attractive node gets 0, the most 100. */
    @Override
    public List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (NodeScore score : scores) {
            min = Math.min(min, score.score());
            max = Math.max(max, score.score());
        }
        long difference = max - min;
        List<NodeScore> normalized = new ArrayList<>(scores.size());
        for (NodeScore score : scores) {
            long scaled = difference > 0
                    ? (long) (NodeScore.MAX_NODE_SCORE * ((double) (score.score() - min) / difference)) : 0;
            normalized.add(new NodeScore(score.name(), scaled));
        }
        return normalized;
    }

    /**
     * Pods coming, going or relabelled change which terms match; new or relabelled nodes change
     * the topology domains. Registered without hints: retrying costs a cycle, stranding costs more.
     */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.ADD, ActionType.UPDATE_POD_LABEL, ActionType.DELETE)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE_NODE_LABEL)));
    }
}
