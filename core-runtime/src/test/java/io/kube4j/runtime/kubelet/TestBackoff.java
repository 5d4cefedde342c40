package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestBackoff {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void firstRestartAtOnceThenTenSecondsDoublingToFiveMinutes() {
        Backoff backoff = new Backoff();
        assertThat(backoff.remaining("c", T0, T0.plusSeconds(1), T0.plusSeconds(1))).isZero();
        backoff.restarted("c");
        assertThat(backoff.remaining("c", T0, T0.plusSeconds(2), T0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(9));
        assertThat(backoff.remaining("c", T0, T0.plusSeconds(2), T0.plusSeconds(12))).isZero();
        backoff.restarted("c");
        assertThat(backoff.current("c")).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 10; i++) {
            backoff.restarted("c");
        }
        assertThat(backoff.current("c")).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.remaining("other", T0, T0, T0)).isZero();
    }

    @Test
    void tenMinutesOfRunningResetsIt() {
        Backoff backoff = new Backoff();
        backoff.restarted("c");
        backoff.restarted("c");
        Instant end = T0.plus(Duration.ofMinutes(10));
        assertThat(backoff.remaining("c", T0, end, end)).isZero();
        backoff.restarted("c");
        assertThat(backoff.current("c")).isEqualTo(Duration.ofSeconds(10));
    }
}
