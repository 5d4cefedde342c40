package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

/** A registered {@link ClusterEvent} with the function that filters which rejected pods it retries. */
public record ClusterEventWithHint(ClusterEvent event, QueueingHintFunction hint) {

    public ClusterEventWithHint {
        requireNonNull(event, "event is null");
        requireNonNull(hint, "hint is null");
    }

    /** The event, retrying every pod the plugin rejected. */
    public static ClusterEventWithHint of(ClusterEvent event) {
        return new ClusterEventWithHint(event, QueueingHintFunction.alwaysQueue());
    }
}
