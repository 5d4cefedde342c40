package io.kube4j.scheduler.nodeaffinity;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Args of {@code NodeAffinity}, as kube-scheduler's {@code NodeAffinityArgs}.
 *
 * @param addedAffinity node affinity applied to every pod of the profile on top of its own: its
 *        required terms must match too, its preferred terms add to the score. Empty when absent.
 */
public record NodeAffinityArgs(NodeAffinity addedAffinity) {

    public NodeAffinityArgs {
        addedAffinity = addedAffinity == null ? new NodeAffinity() : addedAffinity;
        List<String> errors = new ArrayList<>();
        if (addedAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            List<NodeSelectorTerm> terms = addedAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
            NodeSelectorTerms.parse(terms == null ? List.of() : terms).forEach(term -> errors.addAll(term.errors()));
        }
        for (PreferredSchedulingTerm term : preferred(addedAffinity)) {
            errors.addAll(NodeSelectorTerms.parse(term.getPreference()).errors());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("addedAffinity: " + String.join("; ", errors));
        }
    }

    /** No added affinity. */
    public static NodeAffinityArgs defaults() {
        return new NodeAffinityArgs(null);
    }

    static List<PreferredSchedulingTerm> preferred(NodeAffinity affinity) {
        List<PreferredSchedulingTerm> terms = affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
        return terms == null ? List.of() : terms;
    }
}
