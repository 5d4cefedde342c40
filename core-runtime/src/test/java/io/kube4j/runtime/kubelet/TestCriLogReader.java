package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TestCriLogReader {
    private static final String LOG = """
            2026-01-01T00:00:01.000000001Z stdout F one
            2026-01-01T00:00:02.000000002Z stderr P tw
            2026-01-01T00:00:02.000000003Z stderr F o
            2026-01-01T00:00:03Z stdout F three
            2026-01-01T00:00:04Z stdout F
            """;

    private static String read(Path file, CriLogReader.Options options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CriLogReader.copy(file, options, out, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static CriLogReader.Options options(long tail, boolean timestamps, Optional<Instant> since, long limit) {
        return new CriLogReader.Options(false, tail, timestamps, since, limit);
    }

    @Test
    void readsTextJoinsPartialsTailsAndTimestamps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        assertThat(read(file, options(-1, false, Optional.empty(), 0))).isEqualTo("one\ntwo\nthree\n\n");
        assertThat(read(file, options(2, false, Optional.empty(), 0))).isEqualTo("three\n\n");
        assertThat(read(file, options(0, false, Optional.empty(), 0))).isEmpty();
        assertThat(read(file, options(-1, true, Optional.empty(), 0)))
                .startsWith("2026-01-01T00:00:01.000000001Z one\n2026-01-01T00:00:02.000000002Z two\n");
        assertThat(read(file, options(-1, false, Optional.of(Instant.parse("2026-01-01T00:00:03Z")), 0)))
                .isEqualTo("three\n\n");
        assertThat(read(file, options(-1, false, Optional.empty(), 6))).isEqualTo("one\ntw");
    }

    @Test
    void followsUntilTheContainerStops(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, "2026-01-01T00:00:01Z stdout F first\n");
        AtomicBoolean running = new AtomicBoolean(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                CriLogReader.copy(file, new CriLogReader.Options(true, 10, false, Optional.empty(), 0), out, running::get);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).equals("first\n") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Files.writeString(file, "2026-01-01T00:00:02Z stdout F second\n", StandardOpenOption.APPEND);
        while (!out.toString(StandardCharsets.UTF_8).equals("first\nsecond\n") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(reader.isAlive()).as("following while the container runs").isTrue();
        Files.writeString(file, "2026-01-01T00:00:03Z stdout F last\n", StandardOpenOption.APPEND);
        running.set(false);
        reader.join(5_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\nlast\n");
    }
}
