package io.kube4j.runtime.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Runs per-node work on up to {@code parallelism} virtual threads, as kube-scheduler's
 * {@code parallelize.Until}: each worker takes the next index until none are left or the work
 * says stop. Hot-path work: no I/O in the callbacks.
 */
final class Parallelizer {
    private final int parallelism;

    Parallelizer(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        }
        this.parallelism = parallelism;
    }

    int parallelism() {
        return parallelism;
    }

    /** Calls {@code work} for 0..count-1 (some indexes are skipped once {@code stop} is true); rethrows the first failure. */
    void until(int count, BooleanSupplier stop, IntConsumer work) {
        if (count == 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int i;
            while (failure.get() == null && !stop.getAsBoolean() && (i = next.getAndIncrement()) < count) {
                try {
                    work.accept(i);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int workers = Math.min(parallelism, count);
        if (workers == 1) {
            worker.run();
        } else {
            Thread[] threads = new Thread[workers];
            for (int w = 0; w < workers; w++) {
                threads[w] = Thread.ofVirtual().name("scheduler-worker-" + w).start(worker);
            }
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for scheduler workers", e);
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
