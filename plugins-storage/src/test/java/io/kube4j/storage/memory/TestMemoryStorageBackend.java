package io.kube4j.storage.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.TestPluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestMemoryStorageBackend {
    @TempDir
    Path dir;

    @Test
    void foundByNameThroughServiceLoaderAndOpensFromItsConfig() {
        @SuppressWarnings("rawtypes")
        StorageBackend backend = ServiceLoader.load(StorageBackend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals(MemoryStorageBackend.NAME))
                .findFirst()
                .orElseThrow();
        assertThat(backend.configType()).isEqualTo(MemoryConfig.class);
        @SuppressWarnings("unchecked")
        Store store = backend.open(MemoryConfig.defaults(), new TestPluginContext(dir));
        try (store) {
            assertThat(store.create("/a", "x".getBytes(UTF_8))).isInstanceOf(WriteResult.Written.class);
            assertThat(store.currentRevision()).isEqualTo(1);
        }
    }

    @Test
    void configDefaultsAndChecks() {
        assertThat(MemoryConfig.defaults().compactEvery()).isEqualTo("5m");
        assertThat(MemoryConfig.defaults().compactInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(new MemoryConfig("0").compactInterval()).isZero();
        assertThatThrownBy(() -> new MemoryConfig("often")).hasMessageContaining("compactEvery");
        assertThatThrownBy(() -> new MemoryConfig("-1m")).hasMessageContaining("compactEvery");
    }

    @Test
    void autoCompactionCompactsToTheRevisionSeenOneIntervalEarlier() throws InterruptedException {
        try (Store store = new MemoryStorageBackend().open(new MemoryConfig("20ms"), new TestPluginContext(dir))) {
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
