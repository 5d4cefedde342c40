package io.kube4j.controllers.timestamps;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Reads and writes the timestamps of object fields ({@code metav1.Time}: RFC 3339, whole seconds). */
public final class Timestamps {
    private Timestamps() {
    }

    /** {@code instant} as a {@code metav1.Time}: UTC, whole seconds. */
    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The instant of a field; empty when absent, empty or not a timestamp. */
    public static Optional<Instant> parse(String time) {
        try {
            return time == null || time.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(time));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
