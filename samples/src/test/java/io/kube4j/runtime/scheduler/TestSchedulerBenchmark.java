package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The framework benchmark's harness, small: every pod placed, and equal nodes filled evenly. */
class TestSchedulerBenchmark {

    @Test
    void placesEveryPodAndSpreadsThemEvenly() {
        SchedulerBenchmark.Result result = SchedulerBenchmark.run(300, 3000, 0, 60);

        assertThat(result.scheduled()).isEqualTo(3000);
        assertThat(result.perNodeMin()).as(result.line()).isGreaterThanOrEqualTo(9);
        assertThat(result.perNodeMax()).as(result.line()).isLessThanOrEqualTo(11);
    }
}
