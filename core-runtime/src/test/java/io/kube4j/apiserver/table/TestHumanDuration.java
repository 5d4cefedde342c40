package io.kube4j.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestHumanDuration {
    @Test
    void formatsLikeKubectl() {
        assertThat(HumanDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(HumanDuration.format(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(HumanDuration.format(Duration.ofSeconds(182))).isEqualTo("3m2s");
        assertThat(HumanDuration.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(HumanDuration.format(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(HumanDuration.format(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
        assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(HumanDuration.format(Duration.ofHours(51))).isEqualTo("2d3h");
        assertThat(HumanDuration.format(Duration.ofDays(40))).isEqualTo("40d");
        assertThat(HumanDuration.format(Duration.ofDays(3 * 365 + 10))).isEqualTo("3y10d");
        assertThat(HumanDuration.format(Duration.ofDays(9 * 365))).isEqualTo("9y");
        assertThat(HumanDuration.format(Duration.ofMillis(-500))).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    }

    @Test
    void missingTimestampIsUnknown() {
        assertThat(HumanDuration.since("", Instant.EPOCH)).isEqualTo("<unknown>");
        assertThat(HumanDuration.since("2024-01-01T00:00:00Z", Instant.parse("2024-01-01T00:01:00Z"))).isEqualTo("60s");
    }
}
