package io.kube4j.api.controller;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a reconcile asks of the queue when it returns normally. To retry after a failure, throw:
 * the key is requeued with the queue's exponential back-off ({@link RateLimitingQueue#addRateLimited});
 * throw {@link TerminalException} when retrying cannot help.
 */
public sealed interface Result {

    /** Reconciled: forget the key (reset its back-off) until its next event. */
    record Done() implements Result {
    }

    /** Try again soon, with back-off: waiting on something that sends no event. */
    record Requeue() implements Result {
    }

    /** Try again after {@code delay} (a deadline, a periodic check), resetting the back-off. */
    record RequeueAfter(Duration delay) implements Result {
        public RequeueAfter {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("delay must be positive: " + delay);
            }
        }
    }

    static Result done() {
        return new Done();
    }

    static Result requeue() {
        return new Requeue();
    }

    static Result requeueAfter(Duration delay) {
        return new RequeueAfter(delay);
    }
}
