package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a PostFilterPlugin answers when no node fit.
 *
 * @param status SUCCESS when it made room (the pod will be retried, preferring
 *        {@code nominatedNodeName}); UNSCHEDULABLE when it could not; ERROR on failure
 * @param nominatedNodeName the node the pod should get once victims are gone, written to the
 *        pod's {@code status.nominatedNodeName}; only with SUCCESS
 */
public record PostFilterResult(Status status, Optional<String> nominatedNodeName) {

    public PostFilterResult {
        requireNonNull(status, "status is null");
        requireNonNull(nominatedNodeName, "nominatedNodeName is null");
        if (nominatedNodeName.isPresent() && !status.isSuccess()) {
            throw new IllegalArgumentException("nominatedNodeName only comes with SUCCESS, not " + status.code());
        }
        nominatedNodeName.ifPresent(node -> {
            if (node.isBlank()) {
                throw new IllegalArgumentException("nominatedNodeName is blank");
            }
        });
    }

    public static PostFilterResult nominate(String nodeName) {
        return new PostFilterResult(Status.success(), Optional.of(nodeName));
    }

    public static PostFilterResult of(Status status) {
        return new PostFilterResult(status, Optional.empty());
    }
}
