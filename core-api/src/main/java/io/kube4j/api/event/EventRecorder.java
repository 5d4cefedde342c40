package io.kube4j.api.event;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Records a Kubernetes Event about an object, as client-go's {@code record.EventRecorder} does.
 * The Event is written through the API server by the recorder, later: recording never blocks and
 * never fails the caller (a write that fails is logged and dropped, since Events are best effort).
 * Repeated identical events may be aggregated into one Event with a higher {@code count}.
 *
 * <p>Thread-safe.
 */
public interface EventRecorder {

    /**
     * Records that {@code reason} (UpperCamelCase, machine-readable, e.g. {@code Scheduled},
     * {@code FailedScheduling}, {@code SuccessfulCreate}) happened to {@code regarding}, with the
     * human message {@code String.format(messageFormat, args)}. Returns at once.
     */
    void event(HasMetadata regarding, EventType type, String reason, String messageFormat, Object... args);

    /** A recorder that drops everything; for tests and components that record nothing. */
    static EventRecorder discarding() {
        return (regarding, type, reason, messageFormat, args) -> {
        };
    }
}
