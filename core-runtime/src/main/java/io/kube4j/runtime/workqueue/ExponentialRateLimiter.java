package io.kube4j.runtime.workqueue;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

final class ExponentialRateLimiter<K> implements RateLimiter<K> {
    private final long baseNanos;
    private final long maxNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<K, Integer> failures = new HashMap<>();

    ExponentialRateLimiter(Duration base, Duration max) {
        requireNonNull(base, "base is null");
        requireNonNull(max, "max is null");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max: " + base + ", " + max);
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    @Override
    public Duration when(K key) {
        int exponent;
        lock.lock();
        try {
            exponent = failures.merge(key, 1, Integer::sum) - 1;
        } finally {
            lock.unlock();
        }
        // Past 62 doublings a long overflows; the cap is reached long before that.
        if (exponent >= 62 || baseNanos > (maxNanos >> exponent)) {
            return Duration.ofNanos(maxNanos);
        }
        return Duration.ofNanos(baseNanos << exponent);
    }

    @Override
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int numRequeues(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }
}
