package io.kube4j.runtime.workqueue;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/** Reserves a token per call, as Go's {@code rate.Limiter.Reserve}: a missing token is a wait, not a refusal. */
final class TokenBucketRateLimiter<K> implements RateLimiter<K> {
    private final double qps;
    private final int burst;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long last;

    TokenBucketRateLimiter(double qps, int burst, Ticker ticker) {
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("need qps > 0 and burst >= 1: " + qps + ", " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.tokens = burst;
        this.last = ticker.nanoTime();
    }

    @Override
    public Duration when(K key) {
        lock.lock();
        try {
            long now = ticker.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
            last = now;
            tokens -= 1;
            return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forget(K key) {
    }

    @Override
    public int numRequeues(K key) {
        return 0;
    }
}
