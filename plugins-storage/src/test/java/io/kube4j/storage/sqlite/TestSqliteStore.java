package io.kube4j.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.EventRecorder;
import io.kube4j.storage.conformance.StoreConformanceTest;
import io.kube4j.storage.conformance.TestPluginContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestSqliteStore extends StoreConformanceTest {

    @Override
    protected Store open(Path dataDir) {
        return new SqliteStorageBackend().open(new SqliteConfig("state.db", "0", null), new TestPluginContext(dataDir));
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Test
    void concurrentCreatorsShareCommitsAndEachGetsAUniqueRevision() throws Exception {
        int creators = 32;
        int perCreator = 100;
        Set<Long> revisions = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < creators; c++) {
                int creator = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perCreator; i++) {
                        WriteResult r = store.create("/p/" + creator + "/" + i, ("v" + i).getBytes(UTF_8));
                        assertThat(r).isInstanceOf(WriteResult.Written.class);
                        assertThat(revisions.add(((WriteResult.Written) r).kv().modRevision())).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("sqlite: %d creators wrote %d keys in %.2f s: %.0f writes/s%n",
                creators, creators * perCreator, seconds, creators * perCreator / seconds);
        assertThat(revisions).hasSize(creators * perCreator);
        assertThat(store.currentRevision()).isEqualTo(creators * perCreator);
        assertThat(store.range(RangeRequest.prefix("/p/")).kvs()).hasSize(creators * perCreator);
    }

    @Test
    void readsDoNotWaitForAWriterThatIsStuck() throws Exception {
        store.create("/r/a", bytes("a"));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("state.db"));
                Statement s = other.createStatement();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Another connection holds the write lock, so the store's writer waits inside its batch.
            s.execute("BEGIN IMMEDIATE");
            Future<WriteResult> blocked = pool.submit(() -> store.create("/r/b", bytes("b")));
            Future<?> reads = pool.submit(() -> {
                assertThat(store.get("/r/a")).isPresent();
                assertThat(store.range(RangeRequest.prefix("/r/")).kvs()).hasSize(1);
                return null;
            });
            reads.get(5, TimeUnit.SECONDS);
            assertThat(blocked.isDone()).isFalse();
            s.execute("COMMIT");
            assertThat(blocked.get(30, TimeUnit.SECONDS)).isInstanceOf(WriteResult.Written.class);
        }
        assertThat(store.range(RangeRequest.prefix("/r/")).kvs()).hasSize(2);
    }

    @Test
    void aWatchFarBehindReadsTheLogTableThenTheLiveStream() throws Exception {
        // More changes than the in-memory window, so the replay has to come from the table.
        int writes = 20_000;
        inParallel(32, writes / 32, (thread, i) -> store.create("/many/" + thread + "/" + i, new byte[] {(byte) i}));
        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/many/", 1, recorder)) {
            long firstRevision = store.get("/many/0/0").orElseThrow().modRevision();
            store.update("/many/0/0", new byte[] {42}, firstRevision);
            List<StoreEvent> events = recorder.awaitCount(writes + 1, WAIT);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).revision()).isEqualTo(i + 1);
            }
            assertThat(events.getLast().prevKv()).map(KeyValue::modRevision).contains(firstRevision);
        }
    }

    @Test
    void aLaggingWatchHoldsThePurgeBackAndMissesNothing() throws Exception {
        int keys = 32;
        int updates = 600;
        CountDownLatch release = new CountDownLatch(1);
        EventRecorder recorder = new EventRecorder();
        // The listener stalls on its first event, standing for a consumer that fell far behind.
        try (StoreWatch ignored = store.watch("/hot/", 1, event -> {
            if (event.revision() == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            recorder.accept(event);
        })) {
            inParallel(keys, updates, (thread, i) -> {
                String key = "/hot/" + thread;
                WriteResult r = i == 0
                        ? store.create(key, new byte[] {0})
                        : store.update(key, new byte[] {(byte) i}, store.get(key).orElseThrow().modRevision());
                assertThat(r).isInstanceOf(WriteResult.Written.class);
            });
            int writes = keys * updates;
            store.compact(writes - 1);
            store.create("/x/1", new byte[0]);
            store.create("/x/2", new byte[0]);
            release.countDown();
            List<StoreEvent> events = recorder.awaitCount(writes, WAIT);
            Map<String, Long> lastRevision = new HashMap<>();
            for (int i = 0; i < writes; i++) {
                StoreEvent event = events.get(i);
                assertThat(event.revision()).isEqualTo(i + 1);
                Long previous = lastRevision.put(event.kv().key(), event.revision());
                assertThat(event.prevKv().map(KeyValue::modRevision)).isEqualTo(Optional.ofNullable(previous));
            }
        }
    }

    private interface Body {
        void run(int thread, int iteration) throws Exception;
    }

    /** Runs {@code body} for {@code iterations} in each of {@code threads} virtual threads, so writes share commits. */
    private static void inParallel(int threads, int iterations, Body body) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < iterations; i++) {
                        body.run(thread, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @Test
    void compactionPurgesOldRowsWithoutResurrectingDeletedKeys() throws Exception {
        for (int round = 0; round < 5; round++) {
            toggle(300);
            store.compact(store.currentRevision() - 100);
        }
        long at = store.currentRevision();
        List<String> expectedAt = store.range(RangeRequest.prefix("/g/")).kvs().stream().map(KeyValue::key).toList();
        toggle(50);
        store.compact(at - 10);
        // Each write batch is followed by a purge step, so two more writes see the purge through.
        store.create("/x/1", new byte[0]);
        store.create("/x/2", new byte[0]);
        long compacted = store.compactedRevision();
        assertThat(store.range(new RangeRequest("/g/", "", 0, at)).kvs()).extracting(KeyValue::key)
                .containsExactlyElementsOf(expectedAt);
        store.close();

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("state.db"));
                Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM log")) {
                rs.next();
                assertThat(rs.getLong(1)).isLessThan(store.currentRevision() / 2);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM log WHERE rev <= " + compacted + " AND deleted = 1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("deletions at or below the compacted revision").isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT key FROM log WHERE rev <= " + compacted
                    + " GROUP BY key HAVING count(*) > 1)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("keys with superseded rows at or below the compacted revision").isZero();
            }
        }

        store = open(dataDir);
        assertThat(store.range(new RangeRequest("/g/", "", 0, at)).kvs()).extracting(KeyValue::key)
                .containsExactlyElementsOf(expectedAt);
        List<String> latest = store.range(RangeRequest.prefix("/g/")).kvs().stream().map(KeyValue::key).toList();
        assertThat(latest).hasSize(expectedAt.size() + (expectedAt.contains("/g/0") ? -50 : 50));
    }

    /** Creates the first {@code n} keys under /g/ that are absent and deletes those that are present. */
    private void toggle(int n) {
        for (int i = 0; i < n; i++) {
            String key = "/g/" + i;
            if (store.get(key).isPresent()) {
                assertThat(store.delete(key, 0)).isInstanceOf(WriteResult.Written.class);
            } else {
                assertThat(store.create(key, new byte[] {(byte) i})).isInstanceOf(WriteResult.Written.class);
            }
        }
    }
}
