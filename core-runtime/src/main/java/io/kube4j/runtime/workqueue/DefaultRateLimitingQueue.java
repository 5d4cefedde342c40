package io.kube4j.runtime.workqueue;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.controller.RateLimitingQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * client-go's rate-limiting work queue. A key is in at most one of three states besides absent:
 * queued (in {@code queue} and {@code dirty}), processing (between {@link #get} and {@link #done}),
 * or processing and dirty (added again meanwhile: queued at {@code done}). Delayed keys wait in a
 * heap until their time, then are {@link #add added}; a key delayed twice keeps the earlier time.
 *
 * <p>One virtual thread, {@code workqueue-<name>-delay}, moves delayed keys when they are due; it
 * ends at {@link #shutdown}. Locks are {@link ReentrantLock}s so that waiting workers on virtual
 * threads do not pin their carriers.
 */
public final class DefaultRateLimitingQueue<K> implements RateLimitingQueue<K> {
    private final String name;
    private final RateLimiter<K> rateLimiter;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition delayChanged = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final PriorityQueue<Delayed<K>> delayed = new PriorityQueue<>();
    private final Map<K, Long> readyAt = new HashMap<>();
    private final Thread delayThread;
    private boolean shuttingDown;
    private long sequence;

    /** A queue with the controllers' default rate limiter and the system clock. */
    public DefaultRateLimitingQueue(String name) {
        this(name, RateLimiter.controllerDefault(Ticker.SYSTEM), Ticker.SYSTEM, true);
    }

    /**
     * A queue with its own limiter and clock. Without {@code delayThread} nothing moves delayed keys
     * but {@link #get}, {@link #length} and {@link #promoteDue}: for tests driving a fake ticker.
     */
    public DefaultRateLimitingQueue(String name, RateLimiter<K> rateLimiter, Ticker ticker, boolean delayThread) {
        this.name = requireNonNull(name, "name is null");
        this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.delayThread = delayThread ? Thread.ofVirtual().name("workqueue-" + name + "-delay").start(this::moveDelayed) : null;
    }

    public String name() {
        return name;
    }

    @Override
    public void add(K key) {
        requireNonNull(key, "key is null");
        lock.lock();
        try {
            addLocked(key);
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(K key) {
        if (shuttingDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.addLast(key);
            notEmpty.signal();
        }
    }

    @Override
    public void addRateLimited(K key) {
        addAfter(key, rateLimiter.when(key));
    }

    @Override
    public void addAfter(K key, Duration delay) {
        requireNonNull(key, "key is null");
        requireNonNull(delay, "delay is null");
        lock.lock();
        try {
            if (shuttingDown) {
                return;
            }
            if (delay.isNegative() || delay.isZero()) {
                addLocked(key);
                return;
            }
            long at = ticker.nanoTime() + delay.toNanos();
            Long existing = readyAt.get(key);
            if (existing != null && existing - at <= 0) {
                return;
            }
            readyAt.put(key, at);
            delayed.add(new Delayed<>(at, sequence++, key));
            delayChanged.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the delayed keys that are due by the ticker; returns how many. */
    public int promoteDue() {
        lock.lock();
        try {
            return promoteDueLocked();
        } finally {
            lock.unlock();
        }
    }

    private int promoteDueLocked() {
        long now = ticker.nanoTime();
        int moved = 0;
        while (!delayed.isEmpty() && delayed.peek().at() - now <= 0) {
            Delayed<K> next = delayed.poll();
            // A key delayed again to an earlier time leaves its older, later entry behind: skip it.
            if (readyAt.get(next.key()) instanceof Long at && at == next.at()) {
                readyAt.remove(next.key());
                addLocked(next.key());
                moved++;
            }
        }
        return moved;
    }

    private void moveDelayed() {
        lock.lock();
        try {
            while (!shuttingDown) {
                promoteDueLocked();
                if (delayed.isEmpty()) {
                    delayChanged.await();
                } else {
                    delayChanged.awaitNanos(Math.max(1, delayed.peek().at() - ticker.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<K> get() {
        lock.lock();
        try {
            promoteDueLocked();
            while (queue.isEmpty() && !shuttingDown) {
                notEmpty.await();
            }
            K key = queue.pollFirst();
            if (key == null) {
                return Optional.empty();
            }
            processing.add(key);
            dirty.remove(key);
            return Optional.of(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #get}, giving up after {@code timeout}; for tests. */
    public Optional<K> poll(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            promoteDueLocked();
            while (queue.isEmpty() && !shuttingDown && nanos > 0) {
                nanos = notEmpty.awaitNanos(nanos);
            }
            K key = queue.pollFirst();
            if (key == null) {
                return Optional.empty();
            }
            processing.add(key);
            dirty.remove(key);
            return Optional.of(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key)) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forget(K key) {
        rateLimiter.forget(key);
    }

    @Override
    public int numRequeues(K key) {
        return rateLimiter.numRequeues(key);
    }

    @Override
    public int length() {
        lock.lock();
        try {
            promoteDueLocked();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shuttingDown = true;
            notEmpty.signalAll();
            delayChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShuttingDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

    private record Delayed<K>(long at, long sequence, K key) implements Comparable<Delayed<K>> {
        @Override
        public int compareTo(Delayed<K> o) {
            int c = Long.compare(at - o.at, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
