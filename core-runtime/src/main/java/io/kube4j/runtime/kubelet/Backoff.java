package io.kube4j.runtime.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The kubelet's CrashLoopBackOff: the first restart of a container is at once; each later one
 * waits, from the container's end, 10 s, then twice as long each time, up to 5 min. A container
 * that ran for 10 min starts the sequence again. Not thread-safe: one per pod worker.
 */
final class Backoff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);
    static final Duration RESET_AFTER = Duration.ofMinutes(10);

    private final Map<String, Duration> delays = new HashMap<>();

    /** How long, from now, the restart of {@code container} (which ran from startedAt to finishedAt) must still wait; zero: restart now. */
    Duration remaining(String container, Instant startedAt, Instant finishedAt, Instant now) {
        if (Duration.between(startedAt, finishedAt).compareTo(RESET_AFTER) >= 0) {
            delays.remove(container);
        }
        Duration delay = delays.get(container);
        if (delay == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, finishedAt.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The delay {@link #remaining} counts with, for the CrashLoopBackOff message. */
    Duration current(String container) {
        return delays.getOrDefault(container, INITIAL);
    }

    /** {@code container} is restarted now: the next restart waits longer. */
    void restarted(String container) {
        delays.merge(container, INITIAL, (old, initial) -> {
            Duration doubled = old.multipliedBy(2);
            return doubled.compareTo(MAX) > 0 ? MAX : doubled;
        });
    }
}
