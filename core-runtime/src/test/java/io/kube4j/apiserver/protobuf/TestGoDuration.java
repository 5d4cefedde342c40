package io.kube4j.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestGoDuration {
    @Test
    void formatsLikeGo() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(999)).isEqualTo("999ns");
        assertThat(GoDuration.format(1_500)).isEqualTo("1.5\u00b5s");
        assertThat(GoDuration.format(1_500_000)).isEqualTo("1.5ms");
        assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoDuration.format(90_000_000_000L)).isEqualTo("1m30s");
        assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(-5_000_000_000L)).isEqualTo("-5s");
    }

    @Test
    void parsesGoSyntax() {
        assertThat(GoDuration.parse("0")).isZero();
        assertThat(GoDuration.parse("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parse("1h0m0s")).isEqualTo(3_600_000_000_000L);
        assertThat(GoDuration.parse("2h45m")).isEqualTo(9_900_000_000_000L);
        assertThat(GoDuration.parse("-1.5h")).isEqualTo(-5_400_000_000_000L);
        assertThat(GoDuration.parse("10\u00b5s")).isEqualTo(10_000L);
        assertThatThrownBy(() -> GoDuration.parse("5 minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
