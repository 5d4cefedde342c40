package io.kube4j.controllers.timestamps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestTimestamps {
    @Test
    void wholeSecondsInUtcAndLenientReading() {
        assertThat(Timestamps.format(Instant.parse("2026-01-01T10:00:00.987Z"))).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(Timestamps.parse("2026-01-01T10:00:00Z")).contains(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(Timestamps.parse(null)).isEmpty();
        assertThat(Timestamps.parse("")).isEmpty();
        assertThat(Timestamps.parse("yesterday")).isEmpty();
    }
}
