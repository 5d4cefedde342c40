package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a PreFilterPlugin answers: its status and, on success, optionally the only nodes worth
 * filtering (NodeAffinity with a {@code metadata.name} term knows them, say). The framework
 * filters only nodes in the intersection of all plugins' sets; nodes outside it get
 * UNSCHEDULABLE_AND_UNRESOLVABLE.
 *
 * @param status SUCCESS, SKIP (this plugin's Filter is not called for the pod), a rejection or ERROR
 * @param nodeNames the nodes to filter, empty for all; only with SUCCESS
 */
public record PreFilterResult(Status status, Optional<Set<String>> nodeNames) {

    public PreFilterResult {
        requireNonNull(status, "status is null");
        requireNonNull(nodeNames, "nodeNames is null");
        nodeNames = nodeNames.map(Set::copyOf);
        if (nodeNames.isPresent() && !status.isSuccess()) {
            throw new IllegalArgumentException("nodeNames only come with SUCCESS, not " + status.code());
        }
    }

    private static final PreFilterResult ALL_NODES = new PreFilterResult(Status.success(), Optional.empty());

    /** Success, every node is a candidate. */
    public static PreFilterResult allNodes() {
        return ALL_NODES;
    }

    /** Success, only {@code nodeNames} are candidates (an empty set makes the pod unschedulable). */
    public static PreFilterResult only(Set<String> nodeNames) {
        return new PreFilterResult(Status.success(), Optional.of(nodeNames));
    }

    /** A result with no node set, for SKIP, rejections and errors. */
    public static PreFilterResult of(Status status) {
        return new PreFilterResult(status, Optional.empty());
    }

    public boolean isAllNodes() {
        return nodeNames.isEmpty();
    }

    /** The node set both results allow: the intersection, or whichever is limited. Both must be SUCCESS. */
    public PreFilterResult merge(PreFilterResult other) {
        if (!status.isSuccess() || !other.status.isSuccess()) {
            throw new IllegalStateException("only SUCCESS results merge: " + status.code() + ", " + other.status.code());
        }
        if (other.isAllNodes()) {
            return this;
        }
        if (isAllNodes()) {
            return other;
        }
        Set<String> both = new HashSet<>(nodeNames.orElseThrow());
        both.retainAll(other.nodeNames.orElseThrow());
        return only(both);
    }
}
