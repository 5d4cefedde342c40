package io.kube4j.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.storage.memory.MemoryConfig;
import io.kube4j.storage.memory.MemoryStorageBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the store's watch ends on its own (etcd compacted what it still had to send, or lost the
 * stream), the watch cache relists: it serves what the store holds, and the watchers it had are
 * closed so that their clients watch again.
 */
class TestWatchCacheRelist {
    private record Context(Path dataDir) implements PluginContext {
        @Override
        public java.time.Clock clock() {
            return java.time.Clock.systemUTC();
        }
    }

    /** A real memory store whose watches the test can end, as etcd ends one on compaction. */
    static final class EndableStore implements Store {
        final Store delegate;
        final AtomicReference<Consumer<RuntimeException>> onEnd = new AtomicReference<>();
        volatile boolean deaf;

        EndableStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener,
                                Consumer<RuntimeException> end) {
            onEnd.set(end);
            deaf = false;
            return delegate.watch(prefix, fromRevision, e -> {
                if (!deaf) {
                    listener.accept(e);
                }
            });
        }

        /** The watch stops delivering and then reports its end, with {@code writes} made in between. */
        void endWatchAfter(Runnable writes) {
            deaf = true;
            writes.run();
            onEnd.get().accept(new CompactedException(1, 1));
        }

        @Override
        public StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener) {
            return watch(prefix, fromRevision, listener, e -> { });
        }

        @Override public long currentRevision() { return delegate.currentRevision(); }
        @Override public long compactedRevision() { return delegate.compactedRevision(); }
        @Override public Optional<KeyValue> get(String key) { return delegate.get(key); }
        @Override public RangeResult range(RangeRequest request) { return delegate.range(request); }
        @Override public WriteResult create(String key, byte[] value) { return delegate.create(key, value); }
        @Override public WriteResult update(String key, byte[] value, long expected) { return delegate.update(key, value, expected); }
        @Override public WriteResult delete(String key, long expected) { return delegate.delete(key, expected); }
        @Override public void compact(long revision) { delegate.compact(revision); }
        @Override public void close() { delegate.close(); }
    }

    @Test
    void theCacheRelistsWhenTheStoresWatchEnds(@TempDir Path dir) throws Exception {
        ResourceRegistry registry = ResourceRegistry.builtIn();
        ResourceType configMaps = registry.byKind("", "v1", "ConfigMap").orElseThrow();
        EndableStore store = new EndableStore(new MemoryStorageBackend().open(new MemoryConfig("0"), new Context(dir)));
        store.create("/registry/configmaps/default/a", json("a"));
        try (WatchCache cache = new WatchCache(store, registry, new ObjectMapper(), 100, Duration.ofSeconds(30), 100)) {
            cache.start();
            Watcher watcher = cache.watch(configMaps, new WatchFilter() {
                @Override
                public String namespace() {
                    return "default";
                }

                @Override
                public boolean matches(CachedObject object) {
                    return true;
                }
            }, Optional.empty(), false);

            store.endWatchAfter(() -> {
                store.create("/registry/configmaps/default/b", json("b"));
                store.delete("/registry/configmaps/default/a", 0);
            });

            long current = store.currentRevision();
            assertThat(cache.awaitRevision(current, Duration.ofSeconds(10))).isTrue();
            assertThat(cache.get(configMaps, "default", "b")).as("a write the ended watch never sent").isPresent();
            assertThat(cache.get(configMaps, "default", "a")).as("a delete the ended watch never sent").isEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!watcher.isDone() && System.nanoTime() < deadline) {
                watcher.next(Duration.ofMillis(100)); // drain: the initial ADDED of a, then the end
            }
            assertThat(watcher.isDone()).as("the watcher is closed so that its client watches again").isTrue();

            store.create("/registry/configmaps/default/c", json("c"));
            assertThat(cache.awaitRevision(store.currentRevision(), Duration.ofSeconds(10))).isTrue();
            assertThat(cache.get(configMaps, "default", "c")).as("followed again after the relist").isPresent();
        }
    }

    private static byte[] json(String name) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
