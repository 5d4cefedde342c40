package io.kube4j.scheduler.nodeaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.ScoreExtensions;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.nodeaffinity.NodeSelectorTerms.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions,
        EnqueueExtensions {

    static final String REASON_POD = "node(s) didn't match Pod's node affinity/selector";
    static final String REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
    static final String REASON_CONFLICT = "pod affinity terms conflict";

    private static final CycleState.Key<RequiredAffinity> PRE_FILTER_KEY =
            new CycleState.Key<>("PreFilter" + NodeAffinityFactory.NAME, RequiredAffinity.class);
    private static final CycleState.Key<PreferredAffinity> PRE_SCORE_KEY =
            new CycleState.Key<>("PreScore" + NodeAffinityFactory.NAME, PreferredAffinity.class);

    /** The pod's nodeSelector and required node affinity terms (absent when it has none). */
    record RequiredAffinity(Map<String, String> nodeSelector, Optional<List<Term>> terms) implements CycleState.StateData {
        RequiredAffinity {
            nodeSelector = Map.copyOf(nodeSelector);
            terms = terms.map(List::copyOf);
        }

        boolean matches(Node node) {
            Map<String, String> labels = NodeSelectorTerms.labels(node);
            for (Map.Entry<String, String> entry : nodeSelector.entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
            return terms.map(required -> NodeSelectorTerms.anyMatches(required, node)).orElse(true);
        }
    }

    record WeightedTerm(int weight, Term term) {
    }

    /** The pod's preferred terms with non-zero weight. */
    record PreferredAffinity(List<WeightedTerm> terms) implements CycleState.StateData {
        PreferredAffinity {
            terms = List.copyOf(terms);
        }

        long score(Node node) {
            long score = 0;
            for (WeightedTerm term : terms) {
                if (term.term().matches(node)) {
                    score += term.weight();
                }
            }
            return score;
        }
    }

    private final Optional<List<Term>> addedNodeSelector;
    private final PreferredAffinity addedPreferred;

    NodeAffinityPlugin(NodeAffinityArgs args) {
        NodeSelector required = args.addedAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        this.addedNodeSelector = Optional.ofNullable(required).map(selector -> NodeSelectorTerms.parse(orEmpty(selector.getNodeSelectorTerms())));
        this.addedPreferred = preferred(NodeAffinityArgs.preferred(args.addedAffinity()));
    }

    @Override
    public String name() {
        return NodeAffinityFactory.NAME;
    }

    /**
     * SKIP when neither the pod nor the profile constrains nodes. When every required term names
     * nodes with {@code metadata.name In}, only those nodes are candidates; if the terms' names
     * exclude each other, no node is.
     */
    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod) {
        Optional<NodeSelector> required = requiredOf(pod);
        if (required.isEmpty() && addedNodeSelector.isEmpty() && nodeSelector(pod).isEmpty()) {
            return PreFilterResult.of(Status.skip());
        }
        state.write(PRE_FILTER_KEY, requiredAffinity(pod));
        List<NodeSelectorTerm> terms = required.map(selector -> orEmpty(selector.getNodeSelectorTerms())).orElse(List.of());
        if (terms.isEmpty()) {
            return PreFilterResult.allNodes();
        }
        Set<String> nodeNames = new HashSet<>();
        for (NodeSelectorTerm term : terms) {
            Set<String> termNodeNames = null;
            for (NodeSelectorRequirement field : orEmpty(term.getMatchFields())) {
                if (NodeSelectorTerms.NODE_NAME_FIELD.equals(field.getKey()) && "In".equals(field.getOperator())) {
                    Set<String> values = new HashSet<>(orEmpty(field.getValues()));
                    if (termNodeNames == null) {
                        termNodeNames = values;
                    } else {
                        termNodeNames.retainAll(values);
                    }
                }
            }
            if (termNodeNames == null) {
                // A term not naming nodes may match any node, and terms are ORed.
                return PreFilterResult.allNodes();
            }
            nodeNames.addAll(termNodeNames);
        }
        if (nodeNames.isEmpty()) {
            return PreFilterResult.of(Status.unschedulableAndUnresolvable(REASON_CONFLICT));
        }
        return PreFilterResult.only(nodeNames);
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (addedNodeSelector.isPresent() && !NodeSelectorTerms.anyMatches(addedNodeSelector.get(), node)) {
            return Status.unschedulableAndUnresolvable(REASON_ENFORCED);
        }
        RequiredAffinity required = state.read(PRE_FILTER_KEY).orElseGet(() -> requiredAffinity(pod));
        return required.matches(node) ? Status.success() : Status.unschedulableAndUnresolvable(REASON_POD);
    }

    /** SKIP when neither the pod nor the profile has preferred terms; ERROR when a pod's term does not parse. */
    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        List<PreferredSchedulingTerm> terms = preferredOf(pod);
        List<String> errors = new ArrayList<>();
        for (PreferredSchedulingTerm term : terms) {
            errors.addAll(NodeSelectorTerms.parse(term.getPreference()).errors());
        }
        if (!errors.isEmpty()) {
            return Status.error(String.join("; ", errors));
        }
        PreferredAffinity preferred = preferred(terms);
        if (preferred.terms().isEmpty() && addedPreferred.terms().isEmpty()) {
            return Status.skip();
        }
        state.write(PRE_SCORE_KEY, preferred);
        return Status.success();
    }

    /** The sum of the weights of the preferred terms (the pod's and the profile's) the node matches. */
    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreferredAffinity preferred = state.read(PRE_SCORE_KEY).orElseGet(() -> preferred(preferredOf(pod)));
        return addedPreferred.score(nodeInfo.node()) + preferred.score(nodeInfo.node());
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    @Override
    public List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores) {
        return ScoreExtensions.defaultNormalize(scores, false);
    }

    /**
     * A new or relabelled node helps only if it now matches the pod's (and the profile's) required
     * affinity and, when updated, did not before. Taint updates are registered too, as kube-scheduler
     * does without queueing hints, in case the node's Add event was filtered out.
     */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(new ClusterEventWithHint(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD,
                ActionType.UPDATE_NODE_LABEL, ActionType.UPDATE_NODE_TAINT), this::nodeChangeHint));
    }

    QueueingHint nodeChangeHint(Pod pod, Optional<HasMetadata> oldObject, Optional<HasMetadata> newObject) {
        if (newObject.isEmpty() || !(newObject.get() instanceof Node node)) {
            return QueueingHint.QUEUE;
        }
        if (addedNodeSelector.isPresent() && !NodeSelectorTerms.anyMatches(addedNodeSelector.get(), node)) {
            return QueueingHint.SKIP;
        }
        RequiredAffinity required = requiredAffinity(pod);
        if (!required.matches(node)) {
            return QueueingHint.SKIP;
        }
        boolean matchedBefore = oldObject.filter(old -> old instanceof Node).map(old -> required.matches((Node) old)).orElse(false);
        return matchedBefore ? QueueingHint.SKIP : QueueingHint.QUEUE;
    }

    static RequiredAffinity requiredAffinity(Pod pod) {
        return new RequiredAffinity(nodeSelector(pod),
                requiredOf(pod).map(selector -> NodeSelectorTerms.parse(orEmpty(selector.getNodeSelectorTerms()))));
    }

    private static PreferredAffinity preferred(List<PreferredSchedulingTerm> terms) {
        List<WeightedTerm> weighted = new ArrayList<>();
        for (PreferredSchedulingTerm term : terms) {
            Term parsed = NodeSelectorTerms.parse(term.getPreference());
            int weight = term.getWeight() == null ? 0 : term.getWeight();
            if (weight != 0 && !parsed.requirements().isEmpty()) {
                weighted.add(new WeightedTerm(weight, parsed));
            }
        }
        return new PreferredAffinity(weighted);
    }

    private static Map<String, String> nodeSelector(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeSelector() == null) {
            return Map.of();
        }
        return pod.getSpec().getNodeSelector();
    }

    private static Optional<NodeSelector> requiredOf(Pod pod) {
        return nodeAffinity(pod).map(affinity -> affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
    }

    private static List<PreferredSchedulingTerm> preferredOf(Pod pod) {
        return nodeAffinity(pod).map(affinity -> NodeAffinityArgs.preferred(affinity.getNodeAffinity())).orElse(List.of());
    }

    private static Optional<Affinity> nodeAffinity(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null) {
            return Optional.empty();
        }
        return Optional.of(pod.getSpec().getAffinity());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
