package io.kube4j.scheduler.interpodaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kube4j.scheduler.labels.Selector;
import io.kube4j.scheduler.labels.Selector.Operator;
import io.kube4j.scheduler.labels.Selector.Requirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's pod affinity and anti-affinity terms, parsed once per cycle, as kube-scheduler's
 * {@code framework.PodInfo} holds them.
 */
record AffinityTerms(List<Term> requiredAffinity, List<Term> requiredAntiAffinity, List<Term> preferredAffinity,
                     List<Term> preferredAntiAffinity) {

    /** The label every namespace carries with its own name; the only namespace label this plugin can see. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    static final AffinityTerms NONE = new AffinityTerms(List.of(), List.of(), List.of(), List.of());

    AffinityTerms {
        requiredAffinity = List.copyOf(requiredAffinity);
        requiredAntiAffinity = List.copyOf(requiredAntiAffinity);
        preferredAffinity = List.copyOf(preferredAffinity);
        preferredAntiAffinity = List.copyOf(preferredAntiAffinity);
    }

    /**
     * One term: the pods it selects (by namespace and labels) and the topology it spans.
     *
     * @param namespaces the namespaces listed, or the owning pod's when neither they nor a namespace selector are given
     * @param namespaceSelector the namespaces selected by label ({@link Selector#NOTHING} when absent)
     * @param selector the pods selected by label, with matchLabelKeys/mismatchLabelKeys merged in
     * @param weight the weight of a preferred term, 0 for a required one
     */
    record Term(Set<String> namespaces, Selector namespaceSelector, Selector selector, String topologyKey, int weight) {
        Term {
            namespaces = Set.copyOf(namespaces);
        }

        /** Whether {@code pod} is one of the pods this term selects. */
        boolean matches(Pod pod) {
            String namespace = namespace(pod);
            return (namespaces.contains(namespace) || namespaceSelector.matches(namespaceLabels(namespace)))
                    && selector.matches(pod.getMetadata().getLabels());
        }

        /** The node's value of this term's topology key, or null when the node does not have the label. */
        String topologyValue(Node node) {
            Map<String, String> labels = node.getMetadata().getLabels();
            return labels == null ? null : labels.get(topologyKey);
        }
    }

    boolean hasRequired() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty();
    }

    boolean hasPreferred() {
        return !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }

    /** Whether {@code pod} matches every required affinity term (false when there are none). */
    boolean matchesAllRequiredAffinity(Pod pod) {
        if (requiredAffinity.isEmpty()) {
            return false;
        }
        for (Term term : requiredAffinity) {
            if (!term.matches(pod)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The terms of {@code pod}.
     *
     * @throws IllegalArgumentException when a label selector of a term is invalid
     */
    static AffinityTerms of(Pod pod) {
        Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        if (affinity == null || (affinity.getPodAffinity() == null && affinity.getPodAntiAffinity() == null)) {
            return NONE;
        }
        List<Term> requiredAffinity = new ArrayList<>();
        List<Term> preferredAffinity = new ArrayList<>();
        if (affinity.getPodAffinity() != null) {
            required(pod, affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), requiredAffinity);
            preferred(pod, affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), preferredAffinity);
        }
        List<Term> requiredAntiAffinity = new ArrayList<>();
        List<Term> preferredAntiAffinity = new ArrayList<>();
        if (affinity.getPodAntiAffinity() != null) {
            required(pod, affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), requiredAntiAffinity);
            preferred(pod, affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), preferredAntiAffinity);
        }
        return new AffinityTerms(requiredAffinity, requiredAntiAffinity, preferredAffinity, preferredAntiAffinity);
    }

    /**
     * The labels of a namespace as far as this plugin can know them. The snapshot has no namespaces,
     * so a {@code namespaceSelector} sees only the {@code kubernetes.io/metadata.name} label that
     * the API server puts on every namespace.
     */
    static Map<String, String> namespaceLabels(String namespace) {
        return Map.of(NAMESPACE_NAME_LABEL, namespace);
    }

    static String namespace(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        return namespace == null ? "" : namespace;
    }

    private static void required(Pod pod, List<PodAffinityTerm> terms, List<Term> into) {
        if (terms != null) {
            for (PodAffinityTerm term : terms) {
                into.add(term(pod, term, 0));
            }
        }
    }

    private static void preferred(Pod pod, List<WeightedPodAffinityTerm> terms, List<Term> into) {
        if (terms != null) {
            for (WeightedPodAffinityTerm term : terms) {
                int weight = term.getWeight() == null ? 0 : term.getWeight();
                if (weight != 0 && term.getPodAffinityTerm() != null) {
                    into.add(term(pod, term.getPodAffinityTerm(), weight));
                }
            }
        }
    }

    private static Term term(Pod pod, PodAffinityTerm term, int weight) {
        Set<String> namespaces = new HashSet<>(term.getNamespaces() == null ? List.of() : term.getNamespaces());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) {
            namespaces.add(namespace(pod));
        }
        Selector namespaceSelector = Selector.parse(term.getNamespaceSelector());
        LabelSelector labelSelector = term.getLabelSelector();
        Selector selector = Selector.parse(labelSelector).and(labelKeyRequirements(pod, term));
        return new Term(namespaces, namespaceSelector, selector, term.getTopologyKey() == null ? "" : term.getTopologyKey(), weight);
    }

    // matchLabelKeys select pods with the same values as this pod's labels, mismatchLabelKeys pods
    // with other values (a key the pod does not have adds nothing), as the API server merges them.
    private static List<Requirement> labelKeyRequirements(Pod pod, PodAffinityTerm term) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        List<Requirement> requirements = new ArrayList<>();
        for (String key : term.getMatchLabelKeys() == null ? List.<String>of() : term.getMatchLabelKeys()) {
            if (labels.containsKey(key)) {
                requirements.add(new Requirement(key, Operator.IN, Set.of(labels.get(key))));
            }
        }
        for (String key : term.getMismatchLabelKeys() == null ? List.<String>of() : term.getMismatchLabelKeys()) {
            if (labels.containsKey(key)) {
                requirements.add(new Requirement(key, Operator.NOT_IN, Set.of(labels.get(key))));
            }
        }
        return requirements;
    }
}
