package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class TestParallelizer {

    @Test
    void everyIndexRunsOnceOnAtMostOneThreadPerCore() {
        for (int cores : new int[] {1, 2, 8}) {
            Parallelizer parallelizer = new Parallelizer(16, cores);
            assertThat(parallelizer.workers()).isEqualTo(Math.min(16, cores));
            AtomicIntegerArray runs = new AtomicIntegerArray(1000);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            parallelizer.until(1000, () -> false, i -> {
                runs.incrementAndGet(i);
                threads.add(Thread.currentThread());
            });
            for (int i = 0; i < 1000; i++) {
                assertThat(runs.get(i)).as("index %d with %d cores", i, cores).isEqualTo(1);
            }
            assertThat(threads.size()).isLessThanOrEqualTo(parallelizer.workers());
        }
        assertThat(new Parallelizer(1, 8).workers()).as("the profile's parallelism still bounds it").isEqualTo(1);
    }

    @Test
    void stopsOnceToldAndRethrowsTheFirstFailure() {
        Parallelizer parallelizer = new Parallelizer(4, 4);
        AtomicInteger done = new AtomicInteger();
        parallelizer.until(100_000, () -> done.get() >= 10, i -> done.incrementAndGet());
        assertThat(done.get()).as("each worker finishes the index it took, no more").isBetween(10, 10 + 4);

        assertThatThrownBy(() -> parallelizer.until(1000, () -> false, i -> {
            if (i == 500) {
                throw new IllegalStateException("boom at 500");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 500");
        assertThatThrownBy(() -> new Parallelizer(1, 1).until(10, () -> false, i -> {
            throw new IllegalArgumentException("inline");
        })).hasMessage("inline");
    }

    @Test
    void chunksAreAboutTheSquareRoot() {
        assertThat(Parallelizer.chunkSize(10_000, 2)).isEqualTo(100);
        assertThat(Parallelizer.chunkSize(10, 16)).isEqualTo(1);
        assertThat(Parallelizer.chunkSize(1, 2)).isEqualTo(1);
    }
}
