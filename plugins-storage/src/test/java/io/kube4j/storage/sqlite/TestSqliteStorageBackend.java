package io.kube4j.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSqliteStorageBackend {
    @TempDir
    Path dir;

    @Test
    void foundByNameThroughServiceLoaderAndOpensFromItsConfig() {
        @SuppressWarnings("rawtypes")
        StorageBackend backend = ServiceLoader.load(StorageBackend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals(SqliteStorageBackend.NAME))
                .findFirst()
                .orElseThrow();
        assertThat(backend.configType()).isEqualTo(SqliteConfig.class);
        @SuppressWarnings("unchecked")
        Store store = backend.open(new SqliteConfig("sub/cluster.db", "0", "normal"), new TestPluginContext(dir));
        try (store) {
            assertThat(store.create("/a", "x".getBytes(UTF_8))).isInstanceOf(WriteResult.Written.class);
        }
        assertThat(Files.exists(dir.resolve("sub/cluster.db"))).isTrue();
    }

    @Test
    void configDefaultsAndChecks() {
        SqliteConfig defaults = SqliteConfig.defaults();
        assertThat(defaults.file()).isEqualTo("state.db");
        assertThat(defaults.compactEvery()).isEqualTo("5m");
        assertThat(defaults.compactInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.synchronous()).isEqualTo("FULL");
        assertThat(new SqliteConfig("x.db", "1h30m", "extra"))
                .isEqualTo(new SqliteConfig("x.db", "1h30m", "EXTRA"));
        assertThatThrownBy(() -> new SqliteConfig(null, "soon", null)).hasMessageContaining("compactEvery");
        assertThatThrownBy(() -> new SqliteConfig(null, "-5m", null)).hasMessageContaining("compactEvery");
        assertThatThrownBy(() -> new SqliteConfig(null, null, "OFF")).hasMessageContaining("synchronous");
        assertThatThrownBy(() -> new SqliteConfig(" ", null, null)).hasMessageContaining("file");
    }

    @Test
    void autoCompactionCompactsToTheRevisionSeenOneIntervalEarlier() throws InterruptedException {
        try (Store store = new SqliteStorageBackend().open(new SqliteConfig("s.db", "20ms", null), new TestPluginContext(dir))) {
            store.create("/a", "1".getBytes(UTF_8));
            store.update("/a", "2".getBytes(UTF_8), 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (store.compactedRevision() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.compactedRevision()).isEqualTo(2);
            assertThat(store.get("/a").orElseThrow().version()).isEqualTo(2);
        }
    }
}
