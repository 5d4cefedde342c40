package io.kube4j.storage.conformance;

import static org.assertj.core.api.Assertions.fail;

import io.kube4j.api.storage.StoreEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** A watch listener that records every event and lets a test wait for a count of them. */
public final class EventRecorder implements Consumer<StoreEvent> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<StoreEvent> events = new ArrayList<>();

    @Override
    public void accept(StoreEvent event) {
        lock.lock();
        try {
            events.add(event);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the events so far. */
    public List<StoreEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} events arrived; fails after {@code timeout}. */
    public List<StoreEvent> awaitCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (events.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("expected " + count + " events within " + timeout + " but got " + events.size() + ": " + events);
                }
                arrived.awaitNanos(left);
            }
            return List.copyOf(events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }
}
