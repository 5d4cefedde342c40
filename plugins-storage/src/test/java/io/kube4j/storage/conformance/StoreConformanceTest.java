package io.kube4j.storage.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} must do: etcd v3 semantics as the API server relies on them. A backend
 * runs it by extending this class and saying how to open a store in a directory.
 */
@Timeout(120)
public abstract class StoreConformanceTest {
    protected static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    protected Path dataDir;

    protected Store store;

    /**
     * Opens the store kept in {@code dataDir}: a fresh one for an empty directory; for a durable
     * backend, the same data again when the directory was used before. Auto-compaction must be off.
     */
    protected abstract Store open(Path dataDir);

    /** Whether the data survives {@link Store#close()} and a later {@link #open(Path)} of the same directory. */
    protected abstract boolean durable();

    @BeforeEach
    void openStore() {
        store = open(dataDir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(KeyValue kv) {
        return new String(kv.value(), UTF_8);
    }

    protected static KeyValue written(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Written.class);
        return ((WriteResult.Written) result).kv();
    }

    private static List<String> keys(RangeResult result) {
        return result.kvs().stream().map(KeyValue::key).toList();
    }

    // ---- revisions and writes

    @Test
    void newStoreIsEmptyAtRevisionZero() {
        assertThat(store.currentRevision()).isZero();
        assertThat(store.compactedRevision()).isZero();
        assertThat(store.get("/a")).isEmpty();
        RangeResult all = store.range(RangeRequest.prefix(""));
        assertThat(all.kvs()).isEmpty();
        assertThat(all.more()).isFalse();
        assertThat(all.revision()).isZero();
    }

    @Test
    void eachSuccessfulWriteTakesTheNextRevision() {
        assertThat(written(store.create("/a", bytes("1"))).modRevision()).isEqualTo(1);
        assertThat(written(store.update("/a", bytes("2"), 1)).modRevision()).isEqualTo(2);
        assertThat(written(store.create("/b", bytes("1"))).modRevision()).isEqualTo(3);
        assertThat(written(store.delete("/a", 0)).modRevision()).isEqualTo(4);
        assertThat(store.currentRevision()).isEqualTo(4);

        // Failed writes take no revision.
        assertThat(store.create("/b", bytes("x"))).isInstanceOf(WriteResult.AlreadyExists.class);
        assertThat(store.update("/b", bytes("x"), 1)).isInstanceOf(WriteResult.Conflict.class);
        assertThat(store.delete("/a", 0)).isInstanceOf(WriteResult.NotFound.class);
        assertThat(store.currentRevision()).isEqualTo(4);
        assertThat(written(store.create("/c", bytes("1"))).modRevision()).isEqualTo(5);
    }

    @Test
    void createOnExistingKeyIsAlreadyExistsWithTheCurrentValue() {
        KeyValue first = written(store.create("/a", bytes("one")));
        WriteResult again = store.create("/a", bytes("two"));
        assertThat(again).isInstanceOf(WriteResult.AlreadyExists.class);
        KeyValue current = ((WriteResult.AlreadyExists) again).current();
        assertThat(current.modRevision()).isEqualTo(first.modRevision());
        assertThat(text(current)).isEqualTo("one");
        assertThat(text(store.get("/a").orElseThrow())).isEqualTo("one");
    }

    @Test
    void versionAndRevisionsFollowEtcd() {
        KeyValue created = written(store.create("/a", bytes("v1")));
        assertThat(created).extracting(KeyValue::createRevision, KeyValue::modRevision, KeyValue::version)
                .containsExactly(1L, 1L, 1L);
        store.create("/other", bytes("x"));
        KeyValue updated = written(store.update("/a", bytes("v2"), 1));
        assertThat(updated).extracting(KeyValue::createRevision, KeyValue::modRevision, KeyValue::version)
                .containsExactly(1L, 3L, 2L);
        KeyValue got = store.get("/a").orElseThrow();
        assertThat(got).extracting(KeyValue::key, KeyValue::createRevision, KeyValue::modRevision, KeyValue::version)
                .containsExactly("/a", 1L, 3L, 2L);
        assertThat(text(got)).isEqualTo("v2");

        written(store.delete("/a", 3));
        KeyValue recreated = written(store.create("/a", bytes("v3")));
        assertThat(recreated).extracting(KeyValue::createRevision, KeyValue::modRevision, KeyValue::version)
                .containsExactly(5L, 5L, 1L);
    }

    @Test
    void updateIsCompareAndSwapOnModRevision() {
        assertThat(store.update("/missing", bytes("x"), 0)).isInstanceOf(WriteResult.NotFound.class);
        assertThat(store.update("/missing", bytes("x"), 7)).isInstanceOf(WriteResult.NotFound.class);

        store.create("/a", bytes("v1"));
        store.update("/a", bytes("v2"), 1);
        WriteResult stale = store.update("/a", bytes("stale"), 1);
        assertThat(stale).isInstanceOf(WriteResult.Conflict.class);
        KeyValue current = ((WriteResult.Conflict) stale).current();
        assertThat(current.modRevision()).isEqualTo(2);
        assertThat(text(current)).isEqualTo("v2");

        assertThat(written(store.update("/a", bytes("any"), 0)).modRevision()).isEqualTo(3);
        assertThat(text(store.get("/a").orElseThrow())).isEqualTo("any");
    }

    @Test
    void deleteIsCompareAndSwapOnModRevision() {
        assertThat(store.delete("/missing", 0)).isInstanceOf(WriteResult.NotFound.class);
        store.create("/a", bytes("v1"));
        store.update("/a", bytes("v2"), 1);

        WriteResult stale = store.delete("/a", 1);
        assertThat(stale).isInstanceOf(WriteResult.Conflict.class);
        assertThat(((WriteResult.Conflict) stale).current().modRevision()).isEqualTo(2);
        assertThat(store.get("/a")).isPresent();

        KeyValue deleted = written(store.delete("/a", 2));
        assertThat(deleted.key()).isEqualTo("/a");
        assertThat(text(deleted)).isEqualTo("v2");
        assertThat(deleted.createRevision()).isEqualTo(1);
        assertThat(deleted.modRevision()).isEqualTo(3);
        assertThat(store.get("/a")).isEmpty();
        assertThat(store.delete("/a", 0)).isInstanceOf(WriteResult.NotFound.class);
    }

    @Test
    void valuesAreKeptByteForByte() {
        byte[] binary = {0, 1, (byte) 0xff, 0, (byte) 0x80, 10, 13};
        store.create("/bin", binary);
        store.create("/empty", new byte[0]);
        assertThat(store.get("/bin").orElseThrow().value()).containsExactly(binary);
        assertThat(store.get("/empty").orElseThrow().value()).isEmpty();
    }

    @Test
    void callerMutatingItsArrayAfterAWriteDoesNotChangeTheStore() {
        byte[] value = bytes("abc");
        store.create("/a", value);
        value[0] = 'X';
        assertThat(text(store.get("/a").orElseThrow())).isEqualTo("abc");
    }

    // ---- range

    @Test
    void rangeReturnsPrefixedKeysInKeyOrderWithLimitAndContinuation() {
        for (String name : List.of("e", "b", "a", "d", "c")) {
            store.create("/registry/pods/ns/" + name, bytes(name));
        }
        store.create("/registry/pods2/ns/x", bytes("x"));
        store.create("/registry/pod", bytes("x"));
        store.create("/registry/pods", bytes("x"));
        store.create("/registry/a", bytes("x"));

        String prefix = "/registry/pods/";
        assertThat(keys(store.range(RangeRequest.prefix(prefix)))).containsExactly(
                prefix + "ns/a", prefix + "ns/b", prefix + "ns/c", prefix + "ns/d", prefix + "ns/e");

        RangeResult page1 = store.range(new RangeRequest(prefix, "", 2, 0));
        assertThat(keys(page1)).containsExactly(prefix + "ns/a", prefix + "ns/b");
        assertThat(page1.more()).isTrue();
        assertThat(page1.revision()).isEqualTo(store.currentRevision());

        // Continue as the API server does: from the last key plus a zero char, at the first page's revision.
        RangeResult page2 = store.range(new RangeRequest(prefix, prefix + "ns/b\0", 2, page1.revision()));
        assertThat(keys(page2)).containsExactly(prefix + "ns/c", prefix + "ns/d");
        assertThat(page2.more()).isTrue();
        RangeResult page3 = store.range(new RangeRequest(prefix, prefix + "ns/d\0", 2, page1.revision()));
        assertThat(keys(page3)).containsExactly(prefix + "ns/e");
        assertThat(page3.more()).isFalse();

        RangeResult exact = store.range(new RangeRequest(prefix, "", 5, 0));
        assertThat(exact.kvs()).hasSize(5);
        assertThat(exact.more()).isFalse();

        // A start key before the prefix starts at the prefix; one after every match finds nothing.
        assertThat(keys(store.range(new RangeRequest(prefix, "/a", 1, 0)))).containsExactly(prefix + "ns/a");
        assertThat(store.range(new RangeRequest(prefix, "/z", 0, 0)).kvs()).isEmpty();
        assertThat(store.range(RangeRequest.prefix("/nothing/")).kvs()).isEmpty();
        assertThat(store.range(RangeRequest.prefix("")).kvs()).hasSize(9);
    }

    @Test
    void keysCompareAsUtf8Bytes() {
        // U+1F600 is F0 9F 98 80 in UTF-8, above U+FFFD (EF BF BD); UTF-16 order would say otherwise.
        store.create("/k/\uD83D\uDE00", bytes("emoji"));
        store.create("/k/\uFFFD", bytes("replacement"));
        store.create("/k/a", bytes("a"));
        store.create("/k/\u00e9", bytes("e-acute"));
        assertThat(keys(store.range(RangeRequest.prefix("/k/"))))
                .containsExactly("/k/a", "/k/\u00e9", "/k/\uFFFD", "/k/\uD83D\uDE00");
        assertThat(store.get("/k/\uD83D\uDE00").map(StoreConformanceTest::text)).contains("emoji");
        assertThat(keys(store.range(RangeRequest.prefix("/k/\uD83D")))).isEmpty();
    }

    @Test
    void rangeAtAnOlderRevisionSeesTheStoreAsItWas() {
        store.create("/r/a", bytes("a1"));        // 1
        store.update("/r/a", bytes("a2"), 1);     // 2
        store.create("/r/b", bytes("b1"));        // 3
        store.delete("/r/a", 2);                  // 4
        store.create("/r/c", bytes("c1"));        // 5

        RangeResult at1 = store.range(new RangeRequest("/r/", "", 0, 1));
        assertThat(at1.revision()).isEqualTo(1);
        assertThat(at1.kvs()).singleElement().satisfies(kv -> {
            assertThat(text(kv)).isEqualTo("a1");
            assertThat(kv.modRevision()).isEqualTo(1);
        });
        assertThat(store.range(new RangeRequest("/r/", "", 0, 2)).kvs()).singleElement()
                .satisfies(kv -> assertThat(kv).extracting(KeyValue::modRevision, KeyValue::version).containsExactly(2L, 2L));
        assertThat(keys(store.range(new RangeRequest("/r/", "", 0, 3)))).containsExactly("/r/a", "/r/b");
        assertThat(keys(store.range(new RangeRequest("/r/", "", 0, 4)))).containsExactly("/r/b");
        RangeResult limited = store.range(new RangeRequest("/r/", "", 1, 3));
        assertThat(keys(limited)).containsExactly("/r/a");
        assertThat(limited.more()).isTrue();
        assertThat(keys(store.range(new RangeRequest("/r/", "", 0, 5)))).containsExactly("/r/b", "/r/c");

        assertThatThrownBy(() -> store.range(new RangeRequest("/r/", "", 0, 6)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- watch

    @Test
    void watchFromZeroSeesOnlyLaterChanges() {
        store.create("/w/before", bytes("x"));
        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/w/", 0, recorder)) {
            store.create("/w/after", bytes("y"));
            store.create("/elsewhere", bytes("z"));
            store.update("/w/after", bytes("y2"), 2);
            List<StoreEvent> events = recorder.awaitCount(2, WAIT);
            assertThat(events).extracting(StoreEvent::revision).containsExactly(2L, 4L);
            assertThat(events.get(0).isCreate()).isTrue();
            assertThat(events.get(0).prevKv()).isEmpty();
        }
    }

    @Test
    void watchFromAnOldRevisionReplaysHistoryThenContinuesLiveWithPrevKv() {
        store.create("/w/a", bytes("a1"));          // 1
        store.create("/x/ignored", bytes("x"));     // 2
        store.update("/w/a", bytes("a2"), 1);       // 3
        store.create("/w/b", bytes("b1"));          // 4
        store.delete("/w/a", 3);                    // 5

        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/w/", 1, recorder)) {
            store.update("/w/b", bytes("b2"), 4);   // 6
            store.delete("/w/b", 6);                // 7
            List<StoreEvent> events = recorder.awaitCount(6, WAIT);
            assertThat(events).extracting(StoreEvent::revision).containsExactly(1L, 3L, 4L, 5L, 6L, 7L);
            assertThat(events).extracting(StoreEvent::type).containsExactly(
                    StoreEvent.Type.PUT, StoreEvent.Type.PUT, StoreEvent.Type.PUT,
                    StoreEvent.Type.DELETE, StoreEvent.Type.PUT, StoreEvent.Type.DELETE);

            StoreEvent update = events.get(1);
            assertThat(update.isCreate()).isFalse();
            assertThat(text(update.kv())).isEqualTo("a2");
            assertThat(update.kv()).extracting(KeyValue::createRevision, KeyValue::version).containsExactly(1L, 2L);
            assertThat(update.prevKv()).hasValueSatisfying(prev -> {
                assertThat(text(prev)).isEqualTo("a1");
                assertThat(prev.modRevision()).isEqualTo(1);
            });

            StoreEvent delete = events.get(3);
            assertThat(delete.kv().key()).isEqualTo("/w/a");
            assertThat(delete.kv().value()).isEmpty();
            assertThat(delete.kv().modRevision()).isEqualTo(5);
            assertThat(delete.prevKv()).hasValueSatisfying(prev -> {
                assertThat(text(prev)).isEqualTo("a2");
                assertThat(prev.modRevision()).isEqualTo(3);
            });

            StoreEvent liveDelete = events.get(5);
            assertThat(liveDelete.prevKv()).hasValueSatisfying(prev -> assertThat(text(prev)).isEqualTo("b2"));
        }
    }

    @Test
    void watchFromAFutureRevisionStartsThere() {
        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/", 3, recorder)) {
            for (int i = 1; i <= 4; i++) {
                store.create("/k" + i, bytes("v"));
            }
            assertThat(recorder.awaitCount(2, WAIT)).extracting(StoreEvent::revision).containsExactly(3L, 4L);
        }
    }

    @Test
    void watchesSeeEveryChangeOnceInOrderWhileManyThreadsWrite() throws Exception {
        int writers = 8;
        int perWriter = 150;
        int total = writers * perWriter;
        EventRecorder fromStart = new EventRecorder();
        EventRecorder joinedLate = new EventRecorder();
        EventRecorder filtered = new EventRecorder();
        StoreWatch live = store.watch("/c/", 0, fromStart);
        StoreWatch half = store.watch("/c/1", 0, filtered);
        StoreWatch late = null;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String key = "/c/" + writer + "/" + (i % 10);
                        WriteResult r = store.create(key, bytes("v" + i));
                        if (!(r instanceof WriteResult.Written)) {
                            long mod = ((WriteResult.AlreadyExists) r).current().modRevision();
                            r = (i % 3 == 0) ? store.delete(key, mod) : store.update(key, bytes("v" + i), mod);
                            assertThat(r).isInstanceOf(WriteResult.Written.class);
                        }
                    }
                    return null;
                }));
            }
            // A watch that starts from revision 1 while writes go on must replay, then join the live stream.
            fromStart.awaitCount(total / 3, WAIT);
            late = store.watch("/c/", 1, joinedLate);
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(store.currentRevision()).isEqualTo(total);
            List<Long> expected = new ArrayList<>();
            for (long r = 1; r <= total; r++) {
                expected.add(r);
            }
            assertThat(fromStart.awaitCount(total, WAIT)).extracting(StoreEvent::revision).containsExactlyElementsOf(expected);
            assertThat(joinedLate.awaitCount(total, WAIT)).extracting(StoreEvent::revision).containsExactlyElementsOf(expected);
            List<StoreEvent> writer1 = fromStart.events().stream().filter(e -> e.kv().key().startsWith("/c/1")).toList();
            assertThat(filtered.awaitCount(writer1.size(), WAIT)).extracting(StoreEvent::revision)
                    .containsExactlyElementsOf(writer1.stream().map(StoreEvent::revision).toList());
        } finally {
            pool.shutdownNow();
            live.close();
            half.close();
            if (late != null) {
                late.close();
            }
        }
        // Closed watches get nothing more.
        store.create("/c/after-close", bytes("x"));
        assertThat(fromStart.events()).hasSize(total);
    }

    @Test
    void closingAWatchStopsDelivery() {
        EventRecorder closed = new EventRecorder();
        EventRecorder control = new EventRecorder();
        StoreWatch watch = store.watch("/w/", 0, closed);
        try (StoreWatch ignored = store.watch("/w/", 0, control)) {
            store.create("/w/1", bytes("x"));
            closed.awaitCount(1, WAIT);
            watch.close();
            watch.close();
            store.create("/w/2", bytes("x"));
            store.create("/w/3", bytes("x"));
            control.awaitCount(3, WAIT);
            assertThat(closed.events()).extracting(StoreEvent::revision).containsExactly(1L);
        }
    }

    @Test
    void aListenerMayCloseItsOwnWatch() {
        EventRecorder control = new EventRecorder();
        EventRecorder seen = new EventRecorder();
        StoreWatch[] self = new StoreWatch[1];
        self[0] = store.watch("/", 1, event -> {
            seen.accept(event);
            self[0].close();
        });
        try (StoreWatch ignored = store.watch("/", 1, control)) {
            store.create("/a", bytes("x"));
            store.create("/b", bytes("x"));
            control.awaitCount(2, WAIT);
            // The two watches run on their own threads: wait for the first event, then the second
            // must never come because the listener closed its watch.
            seen.awaitCount(1, WAIT);
            store.create("/c", bytes("x"));
            control.awaitCount(3, WAIT);
        }
        assertThat(seen.events()).extracting(StoreEvent::revision).containsExactly(1L);
    }

    // ---- compaction

    @Test
    void compactionForgetsHistoryButKeepsLatestValues() {
        store.create("/k/a", bytes("a1"));          // 1
        store.update("/k/a", bytes("a2"), 1);       // 2
        store.create("/k/b", bytes("b1"));          // 3
        store.delete("/k/b", 3);                    // 4
        store.create("/k/c", bytes("c1"));          // 5
        store.update("/k/c", bytes("c2"), 5);       // 6

        store.compact(5);
        assertThat(store.compactedRevision()).isEqualTo(5);
        assertThat(store.currentRevision()).isEqualTo(6);

        for (long rev = 1; rev <= 5; rev++) {
            long at = rev;
            assertThatThrownBy(() -> store.range(new RangeRequest("/k/", "", 0, at)))
                    .isInstanceOf(CompactedException.class)
                    .satisfies(e -> assertThat(((CompactedException) e).compactedRevision()).isEqualTo(5));
            assertThatThrownBy(() -> store.watch("/k/", at, event -> { }))
                    .isInstanceOf(CompactedException.class);
        }

        RangeResult latest = store.range(RangeRequest.prefix("/k/"));
        assertThat(keys(latest)).containsExactly("/k/a", "/k/c");
        assertThat(text(latest.kvs().get(0))).isEqualTo("a2");
        assertThat(text(latest.kvs().get(1))).isEqualTo("c2");
        assertThat(keys(store.range(new RangeRequest("/k/", "", 0, 6)))).containsExactly("/k/a", "/k/c");

        // Watching from the first revision after the compaction still replays.
        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/k/", 6, recorder)) {
            StoreEvent event = recorder.awaitCount(1, WAIT).getFirst();
            assertThat(event.revision()).isEqualTo(6);
            assertThat(event.prevKv()).hasValueSatisfying(prev -> assertThat(text(prev)).isEqualTo("c1"));
        }

        // Compacting again to the same or an older revision changes nothing.
        store.compact(5);
        store.compact(2);
        assertThat(store.compactedRevision()).isEqualTo(5);
        assertThat(written(store.update("/k/a", bytes("a3"), 2)).version()).isEqualTo(3);
        assertThat(written(store.create("/k/b", bytes("b2"))).createRevision()).isEqualTo(8);
    }

    @Test
    void compactingToTheCurrentRevisionStillServesLatestReads() {
        store.create("/k/a", bytes("a1"));
        store.delete("/k/a", 1);
        store.create("/k/b", bytes("b1"));
        store.compact(3);
        RangeResult latest = store.range(RangeRequest.prefix("/k/"));
        assertThat(keys(latest)).containsExactly("/k/b");
        assertThat(latest.revision()).isEqualTo(3);
        assertThat(written(store.create("/k/c", bytes("c"))).modRevision()).isEqualTo(4);
    }

    @Test
    void aRunningWatchKeepsItsStreamAcrossCompaction() {
        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/k/", 1, recorder)) {
            for (int i = 0; i < 50; i++) {
                store.create("/k/" + i, bytes("v"));
            }
            store.compact(40);
            for (int i = 50; i < 60; i++) {
                store.create("/k/" + i, bytes("v"));
            }
            List<Long> expected = new ArrayList<>();
            for (long r = 1; r <= 60; r++) {
                expected.add(r);
            }
            assertThat(recorder.awaitCount(60, WAIT)).extracting(StoreEvent::revision).containsExactlyElementsOf(expected);
        }
    }

    // ---- lifecycle

    @Test
    void closeIsIdempotentAndEndsWatches() {
        EventRecorder recorder = new EventRecorder();
        store.watch("/", 0, recorder);
        store.create("/a", bytes("x"));
        recorder.awaitCount(1, WAIT);
        store.close();
        store.close();
        assertThat(recorder.events()).hasSize(1);
    }

    @Test
    void reopenKeepsDataHistoryAndTheRevisionCounter() {
        assumeThat(durable()).as("backend is durable").isTrue();
        store.create("/a", bytes("a1"));             // 1
        store.update("/a", bytes("a2"), 1);          // 2
        store.create("/b", bytes("b1"));             // 3
        store.delete("/b", 3);                       // 4
        store.compact(1);
        store.close();

        store = open(dataDir);
        assertThat(store.currentRevision()).isEqualTo(4);
        assertThat(store.compactedRevision()).isEqualTo(1);
        assertThat(store.get("/a").map(StoreConformanceTest::text)).contains("a2");
        assertThat(store.get("/b")).isEmpty();
        assertThat(keys(store.range(new RangeRequest("/", "", 0, 3)))).containsExactly("/a", "/b");
        assertThatThrownBy(() -> store.range(new RangeRequest("/", "", 0, 1))).isInstanceOf(CompactedException.class);

        EventRecorder recorder = new EventRecorder();
        try (StoreWatch ignored = store.watch("/", 2, recorder)) {
            assertThat(written(store.create("/c", bytes("c1"))).modRevision()).isEqualTo(5);
            assertThat(recorder.awaitCount(4, WAIT)).extracting(StoreEvent::revision).containsExactly(2L, 3L, 4L, 5L);
        }
    }

    @Test
    void reopenAfterDeletingTheLastWrittenKeyDoesNotReuseItsRevision() {
        assumeThat(durable()).as("backend is durable").isTrue();
        store.create("/a", bytes("a1"));
        store.delete("/a", 1);
        store.compact(2);
        store.close();
        store = open(dataDir);
        assertThat(store.currentRevision()).isEqualTo(2);
        assertThat(written(store.create("/a", bytes("a2"))).modRevision()).isEqualTo(3);
    }
}
