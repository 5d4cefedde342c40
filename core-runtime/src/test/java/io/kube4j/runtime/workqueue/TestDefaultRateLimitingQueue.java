package io.kube4j.runtime.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TestDefaultRateLimitingQueue {
    private final AtomicLong now = new AtomicLong();
    private final Ticker ticker = now::get;

    private DefaultRateLimitingQueue<String> queue(RateLimiter<String> limiter) {
        return new DefaultRateLimitingQueue<>("test", limiter, ticker, false);
    }

    private DefaultRateLimitingQueue<String> queue() {
        return queue(RateLimiter.controllerDefault(ticker));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void keyAddedWhileQueuedIsHandedOutOnce() {
        DefaultRateLimitingQueue<String> q = queue();
        q.add("a");
        q.add("b");
        q.add("a");
        assertThat(q.length()).isEqualTo(2);
        assertThat(q.poll(Duration.ZERO)).contains("a");
        assertThat(q.poll(Duration.ZERO)).contains("b");
        assertThat(q.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void keyAddedWhileProcessingIsNotHandedToASecondWorkerButRequeuedAtDone() {
        DefaultRateLimitingQueue<String> q = queue();
        q.add("a");
        assertThat(q.poll(Duration.ZERO)).contains("a");
        q.add("a");
        q.add("a");
        assertThat(q.length()).as("a is being processed, so it waits").isZero();
        assertThat(q.poll(Duration.ZERO)).isEmpty();
        q.done("a");
        assertThat(q.length()).isEqualTo(1);
        assertThat(q.poll(Duration.ZERO)).contains("a");
        q.done("a");
        assertThat(q.length()).isZero();
    }

    @Test
    void keysComeOutInTheOrderAdded() {
        DefaultRateLimitingQueue<String> q = queue();
        List<String> out = new ArrayList<>();
        for (String k : List.of("c", "a", "b")) {
            q.add(k);
        }
        for (int i = 0; i < 3; i++) {
            out.add(q.poll(Duration.ZERO).orElseThrow());
        }
        assertThat(out).containsExactly("c", "a", "b");
    }

    @Test
    void addAfterWaitsForTheTicker() {
        DefaultRateLimitingQueue<String> q = queue();
        q.addAfter("a", Duration.ofSeconds(10));
        q.addAfter("b", Duration.ofSeconds(5));
        q.addAfter("a", Duration.ofSeconds(20));
        assertThat(q.length()).isZero();
        advance(Duration.ofSeconds(5));
        assertThat(q.length()).isEqualTo(1);
        assertThat(q.poll(Duration.ZERO)).contains("b");
        advance(Duration.ofMillis(4999));
        assertThat(q.length()).isZero();
        advance(Duration.ofMillis(1));
        assertThat(q.poll(Duration.ZERO)).as("the earlier of two delays wins").contains("a");
        advance(Duration.ofSeconds(20));
        assertThat(q.length()).as("the later entry of a does not add it again").isZero();
    }

    @Test
    void addRateLimitedBacksOffExponentiallyUntilForget() {
        DefaultRateLimitingQueue<String> q = queue(RateLimiter.exponential(Duration.ofMillis(5), Duration.ofSeconds(1000)));
        q.addRateLimited("a");
        assertThat(q.numRequeues("a")).isEqualTo(1);
        advance(Duration.ofMillis(4));
        assertThat(q.length()).isZero();
        advance(Duration.ofMillis(1));
        assertThat(q.poll(Duration.ZERO)).contains("a");
        q.done("a");
        q.addRateLimited("a");
        advance(Duration.ofMillis(9));
        assertThat(q.length()).isZero();
        advance(Duration.ofMillis(1));
        assertThat(q.poll(Duration.ZERO)).contains("a");
        q.done("a");
        q.forget("a");
        assertThat(q.numRequeues("a")).isZero();
        q.addRateLimited("a");
        advance(Duration.ofMillis(5));
        assertThat(q.poll(Duration.ZERO)).as("back to 5 ms after forget").contains("a");
    }

    @Test
    void exponentialBackOffIsCapped() {
        RateLimiter<String> limiter = RateLimiter.exponential(Duration.ofMillis(5), Duration.ofSeconds(1000));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            delays.add(limiter.when("a"));
        }
        assertThat(delays.subList(0, 4)).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(40));
        assertThat(delays.get(17)).isEqualTo(Duration.ofMillis(5L << 17));
        assertThat(delays.get(18)).isEqualTo(Duration.ofSeconds(1000));
        assertThat(delays.get(99)).isEqualTo(Duration.ofSeconds(1000));
        assertThat(limiter.when("b")).as("per key").isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void defaultLimiterTakesTheTokenBucketWhenItIsLonger() {
        RateLimiter<String> limiter = RateLimiter.controllerDefault(ticker);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.when("k" + i)).as("within the burst of 100").isEqualTo(Duration.ofMillis(5));
        }
        assertThat(limiter.when("k100")).as("first past the burst waits one token at 10 qps").isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.when("k101")).isEqualTo(Duration.ofMillis(200));
        advance(Duration.ofSeconds(10));
        assertThat(limiter.when("k102")).as("the bucket refilled").isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void shutdownWakesWaitingWorkersAndDrainsWhatIsQueued() throws Exception {
        DefaultRateLimitingQueue<String> q = new DefaultRateLimitingQueue<>("wake");
        CompletableFuture<Optional<String>> waiting = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().start(() -> waiting.complete(q.get()));
        q.shutdown();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        worker.join();

        DefaultRateLimitingQueue<String> q2 = queue();
        q2.add("a");
        q2.shutdown();
        q2.add("b");
        assertThat(q2.isShuttingDown()).isTrue();
        assertThat(q2.get()).contains("a");
        assertThat(q2.get()).isEmpty();
    }

    @Test
    void delayThreadQueuesDueKeys() throws Exception {
        DefaultRateLimitingQueue<String> q = new DefaultRateLimitingQueue<>("delay");
        try {
            q.addAfter("a", Duration.ofMillis(20));
            CompletableFuture<Optional<String>> got = CompletableFuture.supplyAsync(q::get);
            assertThat(got.get(10, TimeUnit.SECONDS)).contains("a");
        } finally {
            q.shutdown();
        }
    }

    @Test
    void neverTwoWorkersOnOneKey() throws Exception {
        DefaultRateLimitingQueue<Integer> q = new DefaultRateLimitingQueue<>("stingy");
        java.util.concurrent.ConcurrentHashMap<Integer, Boolean> busy = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong overlaps = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                for (Optional<Integer> k = q.get(); k.isPresent(); k = q.get()) {
                    if (busy.putIfAbsent(k.get(), true) != null) {
                        overlaps.incrementAndGet();
                    }
                    Thread.yield();
                    busy.remove(k.get());
                    handled.incrementAndGet();
                    q.done(k.get());
                }
            }));
        }
        for (int i = 0; i < 20_000; i++) {
            q.add(i % 5);
        }
        q.shutdown();
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(overlaps.get()).isZero();
        assertThat(handled.get()).isPositive();
    }
}
