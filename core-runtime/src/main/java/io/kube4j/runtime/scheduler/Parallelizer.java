package io.kube4j.runtime.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Runs per-node work on up to {@code parallelism} threads, as kube-scheduler's
 * {@code parallelize.Until}: each worker takes the next chunk of indexes until none are left or
 * the work says stop. Hot-path work: no I/O in the callbacks.
 *
 * <p>The work is CPU-bound and virtual threads run on one carrier per core, so more workers than
 * cores only add hand-offs: the workers are at most the cores, the calling thread is one of them,
 * and indexes go out in chunks of about the square root of the count (kube's {@code chunkSizeFor})
 * so that workers do not contend on the counter.
 */
final class Parallelizer {
    private final int parallelism;
    private final int workers;

    Parallelizer(int parallelism) {
        this(parallelism, Runtime.getRuntime().availableProcessors());
    }

    Parallelizer(int parallelism, int cores) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        }
        this.parallelism = parallelism;
        this.workers = Math.max(1, Math.min(parallelism, cores));
    }

    int parallelism() {
        return parallelism;
    }

    /** How many threads work at once, the caller included: the parallelism, at most one per core. */
    int workers() {
        return workers;
    }

    /** Calls {@code work} for 0..count-1 (some indexes are skipped once {@code stop} is true); rethrows the first failure. */
    void until(int count, BooleanSupplier stop, IntConsumer work) {
        if (count == 0) {
            return;
        }
        int threads = Math.min(workers, count);
        if (threads == 1) {
            for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
                work.accept(i);
            }
            return;
        }
        int chunk = chunkSize(count, threads);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int from;
            while (failure.get() == null && !stop.getAsBoolean() && (from = next.getAndAdd(chunk)) < count) {
                int to = Math.min(count, from + chunk);
                try {
                    for (int i = from; i < to && !stop.getAsBoolean(); i++) {
                        work.accept(i);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        Thread[] helpers = new Thread[threads - 1];
        for (int w = 0; w < helpers.length; w++) {
            helpers[w] = Thread.ofVirtual().name("scheduler-worker-" + w).start(worker);
        }
        worker.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for scheduler workers", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** kube-scheduler's chunkSizeFor: about sqrt(n), but no more than n / workers + 1. */
    static int chunkSize(int count, int workers) {
        int size = (int) Math.sqrt(count);
        int most = count / workers + 1;
        return Math.max(1, Math.min(size, most));
    }
}
