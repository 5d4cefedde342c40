package io.kube4j.apiserver.cache;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's in-memory copy of the store: every object of every registered type, kept
 * current by one store watch, plus a window of recent events for watches that resume from a
 * version. LIST and WATCH are served from here; the store is read once at start.
 *
 * <p>One dispatcher thread applies store events in revision order, encodes each object once,
 * and fans the event out to watchers without blocking. Readers take a read lock only to copy
 * references out.
 */
public final class WatchCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
    static final String ROOT = "/registry/";

    private final Store store;
    private final ResourceRegistry registry;
    private final ObjectDecoder decoder;
    private final int historySize;
    private final Duration bookmarkInterval;
    private final int watcherQueueCapacity;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition advanced = lock.writeLock().newCondition();
    private final Map<ResourceType, NavigableMap<String, CachedObject>> objects = new HashMap<>();
    private final Map<ResourceType, Set<Watcher>> watchers = new HashMap<>();
    private final CacheEvent[] history;
    private int historyStart;
    private int historyCount;
    /** Every event after this revision is in {@link #history}. */
    private long historyFrom;
    private long revision;
    /** Store events up to this revision replay history only (the objects were loaded at this revision). */
    private long replayUntil;
    private long replayed;

    private final LinkedBlockingQueue<StoreEvent> inbox = new LinkedBlockingQueue<>();
    /** Put into the inbox after the last event of a store watch that ended on its own: the cache relists. */
    private static final StoreEvent RESYNC = new StoreEvent(StoreEvent.Type.PUT, new KeyValue("", new byte[0], 0, 0, 0),
            Optional.empty());
    private volatile boolean running;
    private Thread dispatcher;
    private StoreWatch storeWatch;

    public WatchCache(Store store, ResourceRegistry registry, ObjectMapper mapper, int historySize,
                      Duration bookmarkInterval, int watcherQueueCapacity) {
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.decoder = new ObjectDecoder(requireNonNull(mapper, "mapper is null"));
        this.historySize = historySize;
        this.history = new CacheEvent[historySize];
        this.bookmarkInterval = requireNonNull(bookmarkInterval, "bookmarkInterval is null");
        this.watcherQueueCapacity = watcherQueueCapacity;
        for (ResourceType t : registry.all()) {
            objects.put(t, new TreeMap<>());
            watchers.put(t, new CopyOnWriteArraySet<>());
        }
    }

    /**
     * Loads every object from the store and starts following its changes. The store's own history
     * before the load (as much as the window holds and compaction left) is replayed into the
     * window first, so that a client resuming a watch across an API server restart gets the
     * changes it missed rather than 410 Gone.
     */
    public void start() throws InterruptedException {
        RangeResult all = store.range(RangeRequest.prefix(ROOT));
        long loaded = all.revision();
        long replayFrom = Math.max(store.compactedRevision() + 1, Math.max(1, loaded - historySize + 1));
        lock.writeLock().lock();
        try {
            for (KeyValue kv : all.kvs()) {
                ResourceType type = typeOf(kv.key());
                if (type != null) {
                    objects.get(type).put(kv.key(), decode(type, kv.key(), kv.value(), kv.modRevision()));
                }
            }
            revision = loaded;
            historyFrom = loaded;
            replayUntil = loaded;
            replayed = replayFrom - 1;
        } finally {
            lock.writeLock().unlock();
        }
        running = true;
        dispatcher = Thread.ofVirtual().name("watch-cache-dispatcher").start(this::dispatchLoop);
        try {
            storeWatch = store.watch(ROOT, replayFrom, inbox::add, this::storeWatchEnded);
        } catch (io.kube4j.api.storage.CompactedException e) {
            // compacted between our two reads: start without replayed history
            replayed = loaded;
            storeWatch = store.watch(ROOT, loaded + 1, inbox::add, this::storeWatchEnded);
        }
        awaitReplay(replayFrom);
        log.info("watch cache loaded {} objects at revision {} with history from revision {}", all.kvs().size(),
                loaded, historyFrom + 1);
    }

    private void awaitReplay(long replayFrom) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        lock.writeLock().lock();
        try {
            while (replayed < replayUntil && System.nanoTime() < deadline) {
                advanced.await(100, TimeUnit.MILLISECONDS);
            }
            if (replayed >= replayUntil) {
                historyFrom = replayFrom - 1;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The revision up to which the cache has applied every change. */
    public long revision() {
        lock.readLock().lock();
        try {
            return revision;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Waits until the cache has applied {@code target}; false on timeout. */
    public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.writeLock().lock();
        try {
            while (revision < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.awaitNanos(left);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<CachedObject> get(ResourceType type, String namespace, String name) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(objects.get(type).get(type.key(namespace, name)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A consistent snapshot: the matching objects in key order and the revision they are current
     * at; {@code remaining} is how many objects follow the page when it was asked for and known, else -1.
     */
    public record Snapshot(List<CachedObject> items, long revision, long remaining) {
        public Snapshot(List<CachedObject> items, long revision) {
            this(items, revision, -1);
        }
    }

    /**
     * The objects of {@code type} in {@code namespace} ("" for all) that match, in key order,
     * starting after {@code afterKey} ("" for the start), at most {@code limit} plus one (so the
     * caller can tell whether more remain).
     */
    public Snapshot list(ResourceType type, String namespace, Predicate<CachedObject> filter, String afterKey, long limit) {
        return list(type, namespace, filter, afterKey, limit, false);
    }

    /**
     * {@link #list(ResourceType, String, Predicate, String, long)}, also counting, when {@code countRest}
     * and a page is cut short, the objects after the page (kube's {@code remainingItemCount}; only
     * meaningful when {@code filter} takes every object).
     */
    public Snapshot list(ResourceType type, String namespace, Predicate<CachedObject> filter, String afterKey, long limit,
                         boolean countRest) {
        lock.readLock().lock();
        try {
            NavigableMap<String, CachedObject> all = objects.get(type);
            String prefix = type.namespaced() && !namespace.isEmpty() ? type.keyPrefix() + namespace + "/" : type.keyPrefix();
            NavigableMap<String, CachedObject> range = afterKey.isEmpty()
                    ? all.subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                    : all.subMap(afterKey, false, prefix + Character.MAX_VALUE, false);
            List<CachedObject> out = new ArrayList<>();
            for (CachedObject o : range.values()) {
                if (filter.test(o)) {
                    out.add(o);
                    if (limit > 0 && out.size() > limit) {
                        break;
                    }
                }
            }
            long remaining = countRest && limit > 0 && out.size() > limit ? range.size() - limit : -1;
            return new Snapshot(out, revision, remaining);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Starts a watch. With {@code fromRevision} empty, the watcher first gets an ADDED event per
     * matching object (kube's "get state and start at most recent"); else every change after that
     * revision. Throws {@link GoneException} when that revision has left the history window.
     */
    public Watcher watch(ResourceType type, WatchFilter filter, Optional<Long> fromRevision, boolean bookmarks) {
        lock.writeLock().lock();
        try {
            Set<Watcher> set = watchers.get(type);
            Watcher[] self = new Watcher[1];
            int capacity = watcherQueueCapacity;
            List<Watcher.Item> backlog = new ArrayList<>();
            if (fromRevision.isEmpty()) {
                for (CachedObject o : list(type, filter.namespace(), filter::matches, "", 0).items()) {
                    backlog.add(new Watcher.Event(CacheEvent.Type.ADDED, o));
                }
            } else {
                long from = fromRevision.get();
                if (from < historyFrom) {
                    throw new GoneException(from, historyFrom + 1);
                }
                for (int i = 0; i < historyCount; i++) {
                    CacheEvent e = history[(historyStart + i) % historySize];
                    if (e.revision() > from && e.object().type().equals(type)) {
                        Watcher.view(filter, e).ifPresent(backlog::add);
                    }
                }
            }
            capacity = Math.max(capacity, backlog.size() + watcherQueueCapacity);
            self[0] = new Watcher(filter, bookmarks, capacity, () -> set.remove(self[0]));
            backlog.forEach(self[0]::offer);
            set.add(self[0]);
            return self[0];
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Whether no object of {@code type} has changed after {@code revision}, so that the cache's
     * current contents of that type are what the store held at that revision. False when the
     * window no longer reaches back that far.
     */
    public boolean unchangedSince(ResourceType type, long revision) {
        lock.readLock().lock();
        try {
            if (revision < historyFrom || revision > this.revision) {
                return false;
            }
            for (int i = historyCount - 1; i >= 0; i--) {
                CacheEvent e = history[(historyStart + i) % historySize];
                if (e.revision() <= revision) {
                    return true;
                }
                if (e.object().type().equals(type)) {
                    return false;
                }
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every registered type's objects, for views that need to scan (e.g. admission lookups). */
    public List<CachedObject> all(ResourceType type) {
        lock.readLock().lock();
        try {
            return List.copyOf(objects.get(type).values());
        } finally {
            lock.readLock().unlock();
        }
    }

    private void dispatchLoop() {
        long lastBookmark = System.nanoTime();
        while (running) {
            try {
                StoreEvent e = inbox.poll(Math.max(1, bookmarkInterval.toMillis() / 2), TimeUnit.MILLISECONDS);
                if (e == RESYNC) {
                    relist();
                } else if (e != null) {
                    apply(e);
                }
                if (System.nanoTime() - lastBookmark >= bookmarkInterval.toNanos()) {
                    lastBookmark = System.nanoTime();
                    sendBookmarks();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                log.error("watch cache failed to apply an event", ex);
            }
        }
    }

    /** The store's watch ended on its own (compaction, a lost stream): relist once the events before it are applied. */
    private void storeWatchEnded(RuntimeException reason) {
        log.warn("watch cache: the store's watch ended ({}); relisting", reason.getMessage());
        inbox.add(RESYNC);
    }

    /**
     * Reads the store again and follows it from there, as kube-apiserver's cacher does when its
     * etcd watch breaks: the objects are replaced, the history window starts over at the new
     * revision, and every watcher is closed (its client watches again, or gets 410 Gone for a
     * version the window no longer has, and lists). On the dispatcher thread; retried while the
     * store does not answer.
     */
    private void relist() throws InterruptedException {
        StoreWatch old = storeWatch;
        if (old != null) {
            old.close();
        }
        RangeResult all;
        while (true) {
            try {
                all = store.range(RangeRequest.prefix(ROOT));
                break;
            } catch (RuntimeException e) {
                log.warn("watch cache: cannot relist yet: {}", e.getMessage());
                Thread.sleep(1000); // the store is down; no event will say when it is back
                if (!running) {
                    return;
                }
            }
        }
        long loaded = all.revision();
        List<Watcher> closing = new ArrayList<>();
        lock.writeLock().lock();
        try {
            for (NavigableMap<String, CachedObject> map : objects.values()) {
                map.clear();
            }
            for (KeyValue kv : all.kvs()) {
                ResourceType type = typeOf(kv.key());
                if (type != null) {
                    objects.get(type).put(kv.key(), decode(type, kv.key(), kv.value(), kv.modRevision()));
                }
            }
            java.util.Arrays.fill(history, null);
            historyStart = 0;
            historyCount = 0;
            historyFrom = loaded;
            replayUntil = loaded;
            replayed = loaded;
            revision = Math.max(revision, loaded);
            watchers.values().forEach(closing::addAll);
            advanced.signalAll();
        } finally {
            lock.writeLock().unlock();
        }
        closing.forEach(Watcher::close);
        storeWatch = store.watch(ROOT, loaded + 1, inbox::add, this::storeWatchEnded);
        log.info("watch cache relisted {} objects at revision {}", all.kvs().size(), loaded);
    }

    private void apply(StoreEvent e) {
        ResourceType type = typeOf(e.kv().key());
        lock.writeLock().lock();
        try {
            if (e.revision() <= replayUntil) {
                replay(type, e);
                return;
            }
            if (e.revision() <= revision) {
                return;
            }
            if (type != null) {
                NavigableMap<String, CachedObject> map = objects.get(type);
                String key = e.kv().key();
                Optional<CachedObject> prev = Optional.ofNullable(map.get(key));
                CacheEvent event;
                if (e.type() == StoreEvent.Type.PUT) {
                    CachedObject now = decode(type, key, e.kv().value(), e.revision());
                    map.put(key, now);
                    event = new CacheEvent(prev.isPresent() ? CacheEvent.Type.MODIFIED : CacheEvent.Type.ADDED, now, prev);
                } else {
                    map.remove(key);
                    byte[] last = prev.map(CachedObject::json).orElse(e.prevKv().map(KeyValue::value).orElse(null));
                    if (last == null) {
                        revision = e.revision();
                        advanced.signalAll();
                        return;
                    }
                    CachedObject gone = decode(type, key, last, e.revision());
                    event = new CacheEvent(CacheEvent.Type.DELETED, gone, prev);
                }
                record(event);
                for (Watcher w : watchers.get(type)) {
                    w.dispatch(event);
                }
            }
            revision = e.revision();
            advanced.signalAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A change from before the load: into the window only, the objects are already current. */
    private void replay(ResourceType type, StoreEvent e) {
        if (e.revision() <= replayed) {
            return;
        }
        if (type != null) {
            String key = e.kv().key();
            Optional<CachedObject> prev = e.prevKv().map(kv -> decode(type, key, kv.value(), kv.modRevision()));
            if (e.type() == StoreEvent.Type.PUT) {
                CachedObject now = decode(type, key, e.kv().value(), e.revision());
                record(new CacheEvent(prev.isPresent() ? CacheEvent.Type.MODIFIED : CacheEvent.Type.ADDED, now, prev));
            } else if (prev.isPresent()) {
                CachedObject gone = decode(type, key, prev.get().json(), e.revision());
                record(new CacheEvent(CacheEvent.Type.DELETED, gone, prev));
            }
        }
        replayed = e.revision();
        advanced.signalAll();
    }

    private void record(CacheEvent event) {
        if (historyCount < historySize) {
            history[(historyStart + historyCount) % historySize] = event;
            historyCount++;
        } else {
            historyFrom = history[historyStart].revision();
            history[historyStart] = event;
            historyStart = (historyStart + 1) % historySize;
        }
    }

    private void sendBookmarks() {
        lock.writeLock().lock();
        try {
            Watcher.Bookmark b = new Watcher.Bookmark(revision);
            for (Set<Watcher> set : watchers.values()) {
                for (Watcher w : set) {
                    if (w.wantsBookmarks()) {
                        w.offer(b);
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Decodes a stored value into a cache entry with {@code metadata.resourceVersion} set to {@code rev}. */
    public CachedObject decode(ResourceType type, String key, byte[] value, long rev) {
        return decoder.decode(type, key, value, rev);
    }

    /** The registered type a store key belongs to, or null for keys the API does not serve. */
    ResourceType typeOf(String key) {
        ResourceType best = null;
        for (ResourceType t : registry.all()) {
            if (t.persisted() && key.startsWith(t.keyPrefix())
                    && (best == null || t.keyPrefix().length() > best.keyPrefix().length())) {
                best = t;
            }
        }
        return best;
    }

    @Override
    public void close() {
        running = false;
        if (storeWatch != null) {
            storeWatch.close();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        lock.writeLock().lock();
        try {
            for (Set<Watcher> set : watchers.values()) {
                for (Watcher w : List.copyOf(set)) {
                    w.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
