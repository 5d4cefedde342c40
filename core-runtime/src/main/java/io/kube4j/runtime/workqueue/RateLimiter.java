package io.kube4j.runtime.workqueue;

import java.time.Duration;
import java.util.List;

/**
 * Decides how long a key waits before it is queued again after a failure, as client-go's
 * {@code workqueue.TypedRateLimiter}. Thread-safe.
 */
public interface RateLimiter<K> {

    /** The delay before {@code key} is queued again; counts one more failure of it. */
    Duration when(K key);

    /** Forgets {@code key}'s failures (it succeeded). */
    void forget(K key);

    /** How many failures of {@code key} are counted. */
    int numRequeues(K key);

    /** The controllers' default: max of per-key back-off 5 ms × 2 up to 1000 s and a 10 qps, burst 100 bucket. */
    static <K> RateLimiter<K> controllerDefault(Ticker ticker) {
        return maxOf(List.of(exponential(Duration.ofMillis(5), Duration.ofSeconds(1000)), tokenBucket(10, 100, ticker)));
    }

    /** Per key: {@code base × 2^failures}, capped at {@code max}. */
    static <K> RateLimiter<K> exponential(Duration base, Duration max) {
        return new ExponentialRateLimiter<>(base, max);
    }

    /** One bucket for all keys: {@code qps} tokens a second, holding at most {@code burst}. */
    static <K> RateLimiter<K> tokenBucket(double qps, int burst, Ticker ticker) {
        return new TokenBucketRateLimiter<>(qps, burst, ticker);
    }

    /** The longest delay of {@code limiters}. */
    static <K> RateLimiter<K> maxOf(List<RateLimiter<K>> limiters) {
        return new MaxOfRateLimiter<>(limiters);
    }
}
