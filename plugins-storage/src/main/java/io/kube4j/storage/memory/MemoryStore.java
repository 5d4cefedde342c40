package io.kube4j.storage.memory;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Multi-version store in the heap. Every key keeps the list of its versions (a {@code null} value
 * marks a deletion) until compaction, and every change is kept in an event log that watches read
 * from, each on its own virtual thread. One lock guards everything: the memory backend is for tests
 * and small clusters, where simplicity beats write concurrency.
 */
final class MemoryStore implements Store {
    private static final byte[] EMPTY = new byte[0];
    private static final int WATCH_BATCH = 1024;

    private record Version(long revision, KeyValue kv) {
        boolean deleted() {
            return kv == null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeMap<String, List<Version>> keys = new TreeMap<>(KeyOrder.UTF8);
    /** events.get(i) is the change at revision eventsBase + i. */
    private final ArrayList<StoreEvent> events = new ArrayList<>();
    private long eventsBase = 1;
    private final Set<MemoryWatch> watches = new HashSet<>();
    private volatile long revision;
    private volatile long compacted;
    private boolean closed;
    private final ScheduledExecutorService compactor;

    MemoryStore(Duration compactEvery) {
        requireNonNull(compactEvery, "compactEvery is null");
        if (compactEvery.isZero()) {
            compactor = null;
        } else {
            compactor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("memory-store-compactor").daemon().factory());
            long millis = Math.max(1, compactEvery.toMillis());
            // kube-apiserver compacts to the revision seen one interval ago, so a client that
            // listed up to one interval back can still resume its watch.
            long[] seen = {0};
            compactor.scheduleWithFixedDelay(() -> {
                long target = seen[0];
                seen[0] = currentRevision();
                if (target > 0) {
                    compact(target);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long currentRevision() {
        return revision;
    }

    @Override
    public long compactedRevision() {
        return compacted;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        requireNonNull(key, "key is null");
        lock.lock();
        try {
            ensureOpen();
            return Optional.ofNullable(current(key));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RangeResult range(RangeRequest request) {
        requireNonNull(request, "request is null");
        lock.lock();
        try {
            ensureOpen();
            long at = request.atRevision();
            if (at > revision) {
                throw new IllegalArgumentException("revision " + at + " is in the future (current revision " + revision + ")");
            }
            if (at != 0 && at != revision && at <= compacted) {
                throw new CompactedException(at, compacted);
            }
            long readAt = at == 0 ? revision : at;
            String prefix = request.prefix();
            String start = KeyOrder.UTF8.compare(request.startKey(), prefix) > 0 ? request.startKey() : prefix;
            List<KeyValue> kvs = new ArrayList<>();
            boolean more = false;
            for (Map.Entry<String, List<Version>> e : keys.tailMap(start, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                Version v = versionAt(e.getValue(), readAt);
                if (v == null || v.deleted()) {
                    continue;
                }
                if (request.limit() > 0 && kvs.size() == request.limit()) {
                    more = true;
                    break;
                }
                kvs.add(v.kv());
            }
            return new RangeResult(kvs, more, readAt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WriteResult create(String key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        lock.lock();
        try {
            ensureOpen();
            KeyValue current = current(key);
            if (current != null) {
                return new WriteResult.AlreadyExists(current);
            }
            long rev = revision + 1;
            KeyValue kv = new KeyValue(key, value.clone(), rev, rev, 1);
            record(key, new Version(rev, kv), new StoreEvent(StoreEvent.Type.PUT, kv, Optional.empty()));
            return new WriteResult.Written(kv);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        lock.lock();
        try {
            ensureOpen();
            KeyValue current = current(key);
            if (current == null) {
                return new WriteResult.NotFound();
            }
            if (expectedModRevision != 0 && current.modRevision() != expectedModRevision) {
                return new WriteResult.Conflict(current);
            }
            long rev = revision + 1;
            KeyValue kv = new KeyValue(key, value.clone(), current.createRevision(), rev, current.version() + 1);
            record(key, new Version(rev, kv), new StoreEvent(StoreEvent.Type.PUT, kv, Optional.of(current)));
            return new WriteResult.Written(kv);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        requireNonNull(key, "key is null");
        lock.lock();
        try {
            ensureOpen();
            KeyValue current = current(key);
            if (current == null) {
                return new WriteResult.NotFound();
            }
            if (expectedModRevision != 0 && current.modRevision() != expectedModRevision) {
                return new WriteResult.Conflict(current);
            }
            long rev = revision + 1;
            KeyValue tombstone = new KeyValue(key, EMPTY, 0, rev, 0);
            record(key, new Version(rev, null), new StoreEvent(StoreEvent.Type.DELETE, tombstone, Optional.of(current)));
            return new WriteResult.Written(
                    new KeyValue(key, current.value(), current.createRevision(), rev, current.version()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener) {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(listener, "listener is null");
        if (fromRevision < 0) {
            throw new IllegalArgumentException("fromRevision must be >= 0: " + fromRevision);
        }
        lock.lock();
        try {
            ensureOpen();
            if (fromRevision != 0 && fromRevision <= compacted) {
                throw new CompactedException(fromRevision, compacted);
            }
            MemoryWatch watch = new MemoryWatch(prefix, fromRevision == 0 ? revision + 1 : fromRevision, listener);
            watches.add(watch);
            watch.start();
            return watch;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void compact(long target) {
        lock.lock();
        try {
            ensureOpen();
            if (target <= compacted) {
                return;
            }
            if (target > revision) {
                throw new IllegalArgumentException("cannot compact to future revision " + target + " (current revision " + revision + ")");
            }
            compacted = target;
            Iterator<List<Version>> it = keys.values().iterator();
            while (it.hasNext()) {
                List<Version> versions = it.next();
                int keep = indexAt(versions, target);
                if (keep < 0) {
                    continue;
                }
                if (versions.get(keep).deleted()) {
                    keep++;
                }
                versions.subList(0, keep).clear();
                if (versions.isEmpty()) {
                    it.remove();
                }
            }
            trimEvents();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (compactor != null) {
            compactor.shutdownNow();
        }
        List<MemoryWatch> open;
        lock.lock();
        try {
            open = List.copyOf(watches);
        } finally {
            lock.unlock();
        }
        open.forEach(MemoryWatch::close);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private KeyValue current(String key) {
        List<Version> versions = keys.get(key);
        if (versions == null) {
            return null;
        }
        return versions.getLast().kv();
    }

    private void record(String key, Version version, StoreEvent event) {
        keys.computeIfAbsent(key, k -> new ArrayList<>(2)).add(version);
        events.add(event);
        revision = version.revision();
        changed.signalAll();
    }

    /** Index of the last version at or before {@code rev}, -1 when the key did not exist yet. */
    private static int indexAt(List<Version> versions, long rev) {
        int lo = 0;
        int hi = versions.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (versions.get(mid).revision() <= rev) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static Version versionAt(List<Version> versions, long rev) {
        int i = indexAt(versions, rev);
        return i < 0 ? null : versions.get(i);
    }

    /**
     * Drops logged events that neither a new watch (they start above the compacted revision) nor a
     * running one (they start at their next revision) can ask for. A slow watch holds the log back
     * rather than miss events, because a watch has no way to report a gap to its listener.
     */
    private void trimEvents() {
        long keepFrom = compacted + 1;
        for (MemoryWatch w : watches) {
            keepFrom = Math.min(keepFrom, w.next);
        }
        int drop = (int) Math.min(events.size(), Math.max(0, keepFrom - eventsBase));
        if (drop > 0) {
            events.subList(0, drop).clear();
            eventsBase += drop;
        }
    }

    /** One watch: a virtual thread that reads the event log from {@link #next} on. */
    private final class MemoryWatch implements StoreWatch {
        private final String prefix;
        private final Consumer<StoreEvent> listener;
        /** Guards delivery so that close() returns only once no listener call is under way. */
        private final ReentrantLock delivery = new ReentrantLock();
        /** Next revision to read; guarded by the store lock. */
        private long next;
        private volatile boolean stopped;
        private Thread thread;

        MemoryWatch(String prefix, long next, Consumer<StoreEvent> listener) {
            this.prefix = prefix;
            this.next = next;
            this.listener = listener;
        }

        void start() {
            thread = Thread.ofVirtual().name("memory-watch " + prefix).start(this::run);
        }

        private void run() {
            try {
                while (true) {
                    List<StoreEvent> batch;
                    lock.lock();
                    try {
                        while (!stopped && !closed && revision < next) {
                            changed.await();
                        }
                        if (stopped || closed) {
                            return;
                        }
                        int from = (int) (next - eventsBase);
                        int to = (int) Math.min(events.size(), from + WATCH_BATCH);
                        batch = List.copyOf(events.subList(from, to));
                        next += batch.size();
                    } finally {
                        lock.unlock();
                    }
                    for (StoreEvent event : batch) {
                        if (event.kv().key().startsWith(prefix) && !deliver(event)) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.lock();
                try {
                    watches.remove(this);
                } finally {
                    lock.unlock();
                }
            }
        }

        private boolean deliver(StoreEvent event) {
            delivery.lock();
            try {
                if (stopped) {
                    return false;
                }
                listener.accept(event);
                return true;
            } catch (RuntimeException e) {
                System.getLogger(MemoryStore.class.getName()).log(System.Logger.Level.WARNING,
                        "watch listener on prefix " + prefix + " failed; closing the watch", e);
                stopped = true;
                return false;
            } finally {
                delivery.unlock();
            }
        }

        @Override
        public void close() {
            stopped = true;
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            // Wait out a delivery in progress, unless the listener itself is closing the watch.
            delivery.lock();
            delivery.unlock();
        }
    }

    /** Keys compare as their UTF-8 bytes do, that is by code point, as etcd compares them. */
    static final class KeyOrder {
        static final Comparator<String> UTF8 = KeyOrder::compare;

        private KeyOrder() {
        }

        static int compare(String a, String b) {
            int n = Math.min(a.length(), b.length());
            for (int i = 0; i < n; i++) {
                char ca = a.charAt(i);
                char cb = b.charAt(i);
                if (ca != cb) {
                    if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
                        return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                    }
                    return Character.compare(ca, cb);
                }
            }
            return Integer.compare(a.length(), b.length());
        }
    }
}
