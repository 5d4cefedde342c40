package io.kube4j.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestDurations {

    @Test
    void parsesGoDurations() {
        assertThat(Durations.parse("k", "0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("k", "1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("k", "10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Durations.parse("k", "7ns")).isEqualTo(Duration.ofNanos(7));
        assertThat(Durations.parse("k", "-2s")).isEqualTo(Duration.ofSeconds(-2));
    }

    @Test
    void rejectsGarbageNamingTheKey() {
        for (String bad : new String[] {"", "5", "m", "5x", "1..5s", "5m3", "-", "abc"}) {
            assertThatThrownBy(() -> Durations.parse("compactEvery", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("compactEvery");
        }
    }
}
