package io.kube4j.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.TestPluginContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged write survives {@code kill -9} of the process that made it. */
class TestSqliteDurability {
    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void everyAcknowledgedWriteSurvivesSigkill() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SqliteDurabilityWriter.class.getName(), dataDir.toString(), "16")
                .redirectError(dataDir.resolve("child.err").toFile())
                .start();
        Map<String, Long> acknowledged = new HashMap<>();
        boolean killedWhileWriting = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length != 3 || !parts[2].equals("ok")) {
                    continue;
                }
                acknowledged.put(parts[0], Long.parseLong(parts[1]));
                if (acknowledged.size() == ACKS_BEFORE_KILL) {
                    killedWhileWriting = child.isAlive();
                    // Through the handle: Process.destroyForcibly would also close our end of the
                    // pipe, and the lines already in it are acknowledged writes to check too.
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged)
                .as("acknowledged writes; child stderr: %s", Files.readString(dataDir.resolve("child.err")))
                .hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(killedWhileWriting).isTrue();
        // SIGKILL, not a polite exit: a Java shutdown would report 143 or 0.
        assertThat(child.exitValue()).isEqualTo(137);

        long highest = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        try (Store store = new SqliteStorageBackend().open(new SqliteConfig("state.db", "0", null), new TestPluginContext(dataDir))) {
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                KeyValue kv = store.get(ack.getKey()).orElseThrow(() -> new AssertionError("lost " + ack));
                assertThat(kv.modRevision()).as(ack.getKey()).isEqualTo(ack.getValue());
                assertThat(new String(kv.value(), UTF_8)).isEqualTo(ack.getKey());
            }
            assertThat(store.currentRevision()).isGreaterThanOrEqualTo(highest);
            long next = ((WriteResult.Written) store.create("/after-restart", new byte[0])).kv().modRevision();
            assertThat(next).isEqualTo(store.currentRevision()).isGreaterThan(highest);
        }
    }
}
