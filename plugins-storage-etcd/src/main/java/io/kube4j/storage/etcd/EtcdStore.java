package io.kube4j.storage.etcd;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreException;
import io.kube4j.api.storage.StoreTimeoutException;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Store contract over etcd v3. Every write is one etcd transaction that compares the key's
 * revision and then puts or deletes, or else reads the key back, so a lost race costs one round
 * trip and no retry. Watches are etcd watches with previous values.
 *
 * <p><b>Revisions.</b> etcd's revision counter starts at 1 for an empty cluster; the Store's starts
 * at 0. A kube4j revision is the etcd revision minus one, everywhere: resourceVersions, watch
 * starts, compaction. (So {@code etcdctl get -w json} shows a key's {@code mod_revision} as its
 * resourceVersion plus one.) A compacted revision R means, as in every kube4j store, that reads at
 * R and before are refused; etcd is compacted to R's etcd revision, which keeps the state at R, so
 * that a watch from R + 1 still gets previous values.
 */
final class EtcdStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(EtcdStore.class);
    /** kube4j revision = etcd revision - OFFSET. */
    private static final long OFFSET = 1;

    private final Client client;
    private final KV kv;
    private final Watch watchClient;
    private final String prefix;
    private final Duration timeout;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService compactor;
    private volatile long compacted;

    private EtcdStore(Client client, String prefix, Duration timeout, Duration compactEvery) {
        this.client = client;
        this.kv = client.getKVClient();
        this.watchClient = client.getWatchClient();
        this.prefix = prefix;
        this.timeout = timeout;
        this.compacted = findCompacted();
        if (compactEvery.isZero()) {
            this.compactor = null;
        } else {
            this.compactor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("etcd-compactor").unstarted(r));
            long[] previous = {currentRevision()};
            compactor.scheduleWithFixedDelay(() -> {
                try {
                    compact(previous[0]);
                    previous[0] = currentRevision();
                } catch (RuntimeException e) {
                    log.warn("etcd compaction failed: {}", e.getMessage());
                }
            }, compactEvery.toMillis(), compactEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Connects to the members of {@code config}; {@code files} turns a configured file name into a path. */
    static EtcdStore open(EtcdConfig config, java.util.function.Function<String, java.nio.file.Path> files) {
        ClientBuilder builder = Client.builder().endpoints(config.endpoints().toArray(String[]::new));
        if (config.tls()) {
            try {
                builder.sslContext(ssl -> {
                    if (config.caFile() != null) {
                        ssl.trustManager(files.apply(config.caFile()).toFile());
                    }
                    if (config.certFile() != null) {
                        ssl.keyManager(files.apply(config.certFile()).toFile(), files.apply(config.keyFile()).toFile());
                    }
                });
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                throw new StoreException("cannot set up TLS to etcd: " + e.getMessage(), e);
            }
        }
        Client client = builder.build();
        try {
            return new EtcdStore(client, config.prefix(), config.requestTimeoutDuration(), config.compactInterval());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public long currentRevision() {
        GetResponse r = await(kv.get(bytes(prefix + "\0"), GetOption.builder().withCountOnly(true).build()));
        return r.getHeader().getRevision() - OFFSET;
    }

    @Override
    public long compactedRevision() {
        return compacted;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        GetResponse r = await(kv.get(bytes(prefix + key)));
        return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(toStore(r.getKvs().getFirst()));
    }

    @Override
    public RangeResult range(RangeRequest request) {
        long at = request.atRevision();
        if (at > 0) {
            long current = currentRevision();
            if (at > current) {
                throw new IllegalArgumentException("revision " + at + " is in the future (current " + current + ")");
            }
            if (at <= compacted && at != current) {
                throw new CompactedException(at, compacted);
            }
        }
        // The range starts at the start key, or at the prefix when the start key comes before it.
        String first = compareUtf8(request.startKey(), request.prefix()) > 0 ? request.startKey() : request.prefix();
        ByteSequence end = rangeEnd(prefix + request.prefix());
        if (!isAllKeys(end) && compareUtf8(prefix + first, end.toString(StandardCharsets.UTF_8)) >= 0) {
            return new RangeResult(List.of(), false, at > 0 ? at : currentRevision());
        }
        GetOption.Builder option = GetOption.builder().withRange(end);
        if (request.limit() > 0) {
            option.withLimit(request.limit());
        }
        if (at > 0) {
            option.withRevision(at + OFFSET);
        }
        GetResponse r;
        try {
            r = await(kv.get(key(prefix + first), option.build()));
        } catch (CompactedException e) {
            throw new CompactedException(at, compacted);
        }
        List<KeyValue> kvs = new ArrayList<>(r.getKvs().size());
        r.getKvs().forEach(k -> kvs.add(toStore(k)));
        return new RangeResult(kvs, r.isMore(), at > 0 ? at : r.getHeader().getRevision() - OFFSET);
    }

    // ------------------------------------------------------------------ writes

    @Override
    public WriteResult create(String key, byte[] value) {
        ByteSequence k = bytes(prefix + key);
        byte[] copy = value.clone();
        TxnResponse r = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, ByteSequence.from(copy), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (r.isSucceeded()) {
            long rev = r.getHeader().getRevision() - OFFSET;
            return new WriteResult.Written(new KeyValue(key, copy, rev, rev, 1));
        }
        return current(r).<WriteResult>map(WriteResult.AlreadyExists::new)
                .orElseGet(() -> create(key, value)); // deleted between the compare and the read: try again
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        ByteSequence k = bytes(prefix + key);
        byte[] copy = value.clone();
        TxnResponse r = await(kv.txn()
                .If(expected(k, expectedModRevision))
                .Then(Op.put(k, ByteSequence.from(copy), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (r.isSucceeded()) {
            long rev = r.getHeader().getRevision() - OFFSET;
            io.etcd.jetcd.KeyValue prev = r.getPutResponses().getFirst().getPrevKv();
            return new WriteResult.Written(new KeyValue(key, copy, prev.getCreateRevision() - OFFSET, rev,
                    prev.getVersion() + 1));
        }
        return current(r).<WriteResult>map(WriteResult.Conflict::new).orElseGet(WriteResult.NotFound::new);
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        ByteSequence k = bytes(prefix + key);
        TxnResponse r = await(kv.txn()
                .If(expected(k, expectedModRevision))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (r.isSucceeded()) {
            long rev = r.getHeader().getRevision() - OFFSET;
            io.etcd.jetcd.KeyValue prev = r.getDeleteResponses().getFirst().getPrevKvs().getFirst();
            return new WriteResult.Written(new KeyValue(key, prev.getValue().getBytes(),
                    prev.getCreateRevision() - OFFSET, rev, prev.getVersion()));
        }
        return current(r).<WriteResult>map(WriteResult.Conflict::new).orElseGet(WriteResult.NotFound::new);
    }

    /** The key exists and, unless {@code expected} is 0, was last changed at {@code expected}. */
    private static Cmp expected(ByteSequence key, long expected) {
        return expected == 0 ? new Cmp(key, Cmp.Op.GREATER, CmpTarget.version(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected + OFFSET));
    }

    private Optional<KeyValue> current(TxnResponse r) {
        List<io.etcd.jetcd.KeyValue> kvs = r.getGetResponses().getFirst().getKvs();
        return kvs.isEmpty() ? Optional.empty() : Optional.of(toStore(kvs.getFirst()));
    }

    // ------------------------------------------------------------------ watch

    @Override
    public StoreWatch watch(String watchPrefix, long fromRevision, Consumer<StoreEvent> listener) {
        return watch(watchPrefix, fromRevision, listener, e -> { });
    }

    @Override
    public StoreWatch watch(String watchPrefix, long fromRevision, Consumer<StoreEvent> listener,
                            Consumer<RuntimeException> onEnd) {
        requireNonNull(listener, "listener is null");
        requireNonNull(onEnd, "onEnd is null");
        if (closed.get()) {
            throw new IllegalStateException("the store is closed");
        }
        if (fromRevision > 0 && fromRevision <= compacted) {
            throw new CompactedException(fromRevision, compacted);
        }
        // "From the next change on" is fixed here, with a linearizable read: an etcd watch without a start
        // revision starts wherever the member serving it is when the watch gets there, which may be before a
        // change this caller already saw (a lagging follower) or after one made since this call (the watch is
        // set up asynchronously).
        long from = fromRevision > 0 ? fromRevision : currentRevision() + 1;
        WatchOption.Builder option = WatchOption.builder().withRange(rangeEnd(prefix + watchPrefix)).withPrevKV(true)
                .withRevision(from + OFFSET);
        EtcdWatch w = new EtcdWatch(listener, onEnd);
        watches.add(w);
        w.watcher = watchClient.watch(key(prefix + watchPrefix), option.build(), w);
        return w;
    }

    /** One watch: events go to the listener in order until it is closed. */
    private final class EtcdWatch implements StoreWatch, Watch.Listener {
        private final Consumer<StoreEvent> listener;
        private final Consumer<RuntimeException> onEnd;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Watch.Watcher watcher;

        EtcdWatch(Consumer<StoreEvent> listener, Consumer<RuntimeException> onEnd) {
            this.listener = listener;
            this.onEnd = onEnd;
        }

        @Override
        public void onNext(WatchResponse response) {
            for (WatchEvent e : response.getEvents()) {
                if (done.get()) {
                    return;
                }
                listener.accept(toEvent(e));
            }
        }

        @Override
        public void onError(Throwable error) {
            if (done.compareAndSet(false, true)) {
                watches.remove(this);
                log.warn("etcd watch ended: {}", error.getMessage());
                onEnd.accept(error instanceof io.etcd.jetcd.common.exception.CompactedException
                        ? new CompactedException(0, compacted)
                        : new StoreException("etcd watch ended: " + error.getMessage(), error));
            }
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                watches.remove(this);
                Watch.Watcher w = watcher;
                if (w != null) {
                    w.close();
                }
            }
        }
    }

    private StoreEvent toEvent(WatchEvent e) {
        io.etcd.jetcd.KeyValue k = e.getKeyValue();
        Optional<KeyValue> prev = e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty()
                ? Optional.empty() : Optional.of(toStore(e.getPrevKV()));
        if (e.getEventType() == WatchEvent.EventType.DELETE) {
            KeyValue gone = new KeyValue(unprefixed(k.getKey()), new byte[0], 0, k.getModRevision() - OFFSET, 0);
            return new StoreEvent(StoreEvent.Type.DELETE, gone, prev);
        }
        return new StoreEvent(StoreEvent.Type.PUT, toStore(k), prev);
    }

    // ------------------------------------------------------------------ compaction and life cycle

    @Override
    public synchronized void compact(long revision) {
        if (revision <= compacted) {
            return;
        }
        long target = Math.min(revision, currentRevision());
        // etcd keeps the state at the revision it is compacted to: the values a watch from target + 1 needs as
        // previous values. Reads at target itself are refused here (compactedRevision), not by etcd.
        try {
            await(kv.compact(target + OFFSET, CompactOption.builder().withCompactPhysical(true).build()));
        } catch (CompactedException e) {
            // someone (another API server) compacted further already
        }
        compacted = Math.max(compacted, target);
    }

    /**
     * The compacted revision etcd holds, found by asking for the oldest readable revision (a binary
     * search: etcd does not report it otherwise).
     */
    private long findCompacted() {
        long high = currentRevision() + OFFSET;
        long low = 1;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (readableAt(mid)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        // etcd was compacted to `low` (reads before it fail): that is the store's compacted revision.
        return low == 1 ? 0 : low - OFFSET;
    }

    private boolean readableAt(long etcdRevision) {
        try {
            await(kv.get(bytes(prefix + "\0"), GetOption.builder().withCountOnly(true).withRevision(etcdRevision).build()));
            return true;
        } catch (CompactedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (compactor != null) {
            compactor.shutdownNow();
        }
        for (EtcdWatch w : List.copyOf(watches)) {
            w.close();
        }
        client.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Waits for an etcd answer; etcd errors become the Store's exceptions. */
    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreException("interrupted while waiting for etcd", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreTimeoutException("etcd did not answer within " + timeout.toSeconds() + "s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.etcd.jetcd.common.exception.CompactedException
                    || String.valueOf(cause == null ? null : cause.getMessage()).contains("required revision has been compacted")) {
                throw new CompactedException(0, compacted);
            }
            throw new StoreException("etcd request failed: " + (cause == null ? e : cause).getMessage(), cause);
        }
    }

    private KeyValue toStore(io.etcd.jetcd.KeyValue k) {
        return new KeyValue(unprefixed(k.getKey()), k.getValue().getBytes(), k.getCreateRevision() - OFFSET,
                k.getModRevision() - OFFSET, k.getVersion());
    }

    private String unprefixed(ByteSequence key) {
        String k = key.toString(StandardCharsets.UTF_8);
        return k.startsWith(prefix) ? k.substring(prefix.length()) : k;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isAllKeys(ByteSequence end) {
        return end.size() == 1 && end.getBytes()[0] == 0;
    }

    /** A range's first key: etcd has no empty key, "\0" is the first there is. */
    private static ByteSequence key(String s) {
        return s.isEmpty() ? ByteSequence.from(new byte[] {0}) : bytes(s);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The end of the range of keys that start with {@code keyPrefix} (etcd's prefix end; "\0" means every key). */
    static ByteSequence rangeEnd(String keyPrefix) {
        byte[] p = keyPrefix.getBytes(StandardCharsets.UTF_8);
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(p, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ByteSequence.from(new byte[] {0});
    }
}
