package io.kube4j.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestMetricsRegistry {

    @Test
    void countersGaugesAndHistogramsInTextFormat() {
        MetricsRegistry registry = new MetricsRegistry();
        MetricsRegistry.Counter attempts = registry.counter("x_attempts_total", "Attempts.", "result", "profile");
        MetricsRegistry.Histogram latency = registry.histogram("x_duration_seconds", "Latency.",
                new double[] {0.1, 1}, "profile");
        AtomicInteger queued = new AtomicInteger(3);
        registry.gauge("x_pending", "Pending.", sink -> {
            sink.sample(queued.get(), "active");
            sink.sample(0, "backoff");
        }, "queue");

        attempts.inc("scheduled", "p");
        attempts.inc("scheduled", "p");
        attempts.touch("error", "p");
        latency.observe(0.0625, "p");
        latency.observe(0.5, "p");
        latency.observe(7, "p");

        assertThat(registry.scrape()).isEqualTo("""
                # HELP x_attempts_total Attempts.
                # TYPE x_attempts_total counter
                x_attempts_total{result="error",profile="p"} 0
                x_attempts_total{result="scheduled",profile="p"} 2
                # HELP x_duration_seconds Latency.
                # TYPE x_duration_seconds histogram
                x_duration_seconds_bucket{profile="p",le="0.1"} 1
                x_duration_seconds_bucket{profile="p",le="1"} 2
                x_duration_seconds_bucket{profile="p",le="+Inf"} 3
                x_duration_seconds_sum{profile="p"} 7.5625
                x_duration_seconds_count{profile="p"} 3
                # HELP x_pending Pending.
                # TYPE x_pending gauge
                x_pending{queue="active"} 3
                x_pending{queue="backoff"} 0
                """);
        assertThat(attempts.get("scheduled", "p")).isEqualTo(2);
        assertThat(latency.count("p")).isEqualTo(3);
    }

    @Test
    void labelValuesAreEscapedAndMustMatchTheLabelNames() {
        MetricsRegistry registry = new MetricsRegistry();
        MetricsRegistry.Counter c = registry.counter("c_total", "C.", "name");
        c.inc("a\"b\\c");
        assertThat(registry.scrape()).contains("c_total{name=\"a\\\"b\\\\c\"} 1");
        assertThatThrownBy(() -> c.inc("a", "b")).hasMessageContaining("takes labels [name]");
        assertThatThrownBy(() -> registry.counter("c_total", "again")).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> registry.counter("bad-name", "x")).hasMessageContaining("invalid metric name");
    }

    @Test
    void exponentialBucketsAsKubeComputesThem() {
        assertThat(MetricsRegistry.exponentialBuckets(0.001, 2, 4)).containsExactly(0.001, 0.002, 0.004, 0.008);
        assertThatThrownBy(() -> MetricsRegistry.exponentialBuckets(0, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
