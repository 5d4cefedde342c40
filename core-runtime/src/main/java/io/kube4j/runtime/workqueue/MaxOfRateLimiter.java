package io.kube4j.runtime.workqueue;

import java.time.Duration;
import java.util.List;

final class MaxOfRateLimiter<K> implements RateLimiter<K> {
    private final List<RateLimiter<K>> limiters;

    MaxOfRateLimiter(List<RateLimiter<K>> limiters) {
        this.limiters = List.copyOf(limiters);
        if (this.limiters.isEmpty()) {
            throw new IllegalArgumentException("no limiters");
        }
    }

    @Override
    public Duration when(K key) {
        Duration max = Duration.ZERO;
        // Every limiter counts the failure, so each is asked even when an earlier one is longer.
        for (RateLimiter<K> limiter : limiters) {
            Duration d = limiter.when(key);
            if (d.compareTo(max) > 0) {
                max = d;
            }
        }
        return max;
    }

    @Override
    public void forget(K key) {
        limiters.forEach(l -> l.forget(key));
    }

    @Override
    public int numRequeues(K key) {
        return limiters.stream().mapToInt(l -> l.numRequeues(key)).max().orElse(0);
    }
}
