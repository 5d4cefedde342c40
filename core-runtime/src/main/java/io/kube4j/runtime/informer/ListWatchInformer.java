package io.kube4j.runtime.informer;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.controller.SharedInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer of one type (optionally narrowed by namespace and selectors), client-go's
 * {@code sharedIndexInformer} with its reflector.
 *
 * <p>Two virtual threads per informer. The <em>reflector</em> ({@code informer-<plural>-reflector})
 * lists in pages, then watches from the list's resourceVersion with bookmarks, and puts what it
 * reads on a bounded queue; when the server ends the watch it watches again from the last version
 * it saw; on 410 Gone it lists again. The <em>dispatcher</em> ({@code informer-<plural>-dispatch})
 * takes from the queue, applies each change to the cache and then tells the handlers, one event at
 * a time, in order. Because the cache is written by the dispatcher, a handler added late gets
 * exactly the adds of what the cache holds, and a relist is turned into its difference with the
 * cache (adds, updates of changed versions, and deletes with {@code finalStateUnknown}).
 *
 * <p>When the queue is full ({@link InformerOptions#queueCapacity()} events: the handlers are
 * slower than the API server) the reflector waits for room; events are never dropped. The API
 * server may then end the watch of the slow reader; the reflector simply watches again from its
 * last version, or lists again if that version is gone. A periodic resync is only a nudge and is
 * skipped when the queue is full.
 */
public final class ListWatchInformer<T extends HasMetadata> implements SharedInformer<T>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListWatchInformer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long MIN_WATCH_NANOS = Duration.ofMillis(100).toNanos();

    private final ApiClient client;
    private final Class<T> type;
    private final InformerOptions options;
    private final String name;
    private final IndexedStore<T> store = new IndexedStore<>();
    private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Change<T>> changes;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong watches = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private boolean stopped;
    private WatchHandle currentWatch;
    private Thread dispatcher;
    private volatile String lastResourceVersion = "";
    private volatile UnaryOperator<T> transform = UnaryOperator.identity();

    public ListWatchInformer(ApiClient client, Class<T> type, InformerOptions options) {
        this.client = requireNonNull(client, "client is null");
        this.type = requireNonNull(type, "type is null");
        this.options = requireNonNull(options, "options is null");
        this.name = client.registry().byClass(type).plural();
        this.changes = new ArrayBlockingQueue<>(options.queueCapacity());
    }

    public Class<T> type() {
        return type;
    }

    /**
     * Applies {@code function} to each object as it is listed or watched, before it is cached or
     * handed out (client-go's {@code SetTransform}, most often to drop {@code managedFields} from a
     * large cache). The function may change the object it is given, which nobody else holds yet.
     * Set before {@link #start}.
     */
    public void setTransform(UnaryOperator<T> function) {
        requireNonNull(function, "function is null");
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("the transform of informer " + name + " is set after its start");
            }
            transform = function;
        } finally {
            lock.unlock();
        }
    }

    /** Starts listing and watching. Idempotent; never blocks. */
    public void start() {
        lock.lock();
        try {
            if (started || stopped) {
                return;
            }
            started = true;
            dispatcher = Thread.ofVirtual().name("informer-" + name + "-dispatch").start(this::dispatch);
            threads.add(dispatcher);
            threads.add(Thread.ofVirtual().name("informer-" + name + "-reflector").start(this::reflect));
            if (options.resyncPeriod().isPositive()) {
                threads.add(Thread.ofVirtual().name("informer-" + name + "-resync").start(this::resync));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the first list reached the cache; false on timeout. */
    public boolean waitForSync(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    @Override
    public Lister<T> lister() {
        return store;
    }

    @Override
    public void addEventHandler(ResourceEventHandler<T> handler) {
        requireNonNull(handler, "handler is null");
        lock.lock();
        try {
            if (!started) {
                handlers.add(handler);
                return;
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == dispatcher) {
            // Added by a handler: the dispatcher is here, so do it now rather than wait on its own (maybe full) queue.
            addHandlerNow(handler);
            return;
        }
        enqueue(new Change.AddHandler<>(handler));
    }

    @Override
    public void addIndexer(String indexName, IndexFunction<T> function) {
        requireNonNull(indexName, "indexName is null");
        requireNonNull(function, "function is null");
        store.addIndexer(indexName, function);
    }

    /** The resourceVersion of the last list, watch event or bookmark read. */
    public String lastResourceVersion() {
        return lastResourceVersion;
    }

    /** How many full lists were made (1 after the start, one more per 410 Gone). */
    public long listCount() {
        return lists.get();
    }

    /** How many watches were opened. */
    public long watchCount() {
        return watches.get();
    }

    /** Stops the threads and the watch. Idempotent. */
    @Override
    public void close() {
        List<Thread> toJoin;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            stopping.signalAll();
            if (currentWatch != null) {
                currentWatch.close();
            }
            toJoin = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread t : toJoin) {
            t.interrupt();
        }
        for (Thread t : toJoin) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code d} unless stopped first; true if stopped. */
    private boolean pause(Duration d) {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (!stopped && nanos > 0) {
                nanos = stopping.awaitNanos(nanos);
            }
            return stopped;
        } catch (InterruptedException e) {
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Change<T> change) {
        try {
            changes.put(change);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ListOptions baseOptions() {
        return new ListOptions(options.namespace(), options.labelSelector(), options.fieldSelector(), 0, "", "", "", 0,
                false);
    }

    private void reflect() {
        boolean needList = true;
        Duration backoff = Duration.ofMillis(100);
        while (!isStopped() && !Thread.currentThread().isInterrupted()) {
            try {
                if (needList) {
                    listAll();
                    needList = false;
                }
                long watchStart = System.nanoTime();
                Optional<ApiException> error = watchOnce();
                // A watch that ends as soon as it starts, again and again, must not spin on the API server.
                if (System.nanoTime() - watchStart < MIN_WATCH_NANOS && pause(Duration.ofMillis(100))) {
                    return;
                }
                if (error.isPresent()) {
                    if (error.get().isGone()) {
                        log.info("informer {}: version {} is gone, listing again", name, lastResourceVersion);
                        needList = true;
                        continue;
                    }
                    throw error.get();
                }
                backoff = Duration.ofMillis(100);
            } catch (ApiException e) {
                if (isStopped()) {
                    return;
                }
                needList |= e.isGone();
                log.warn("informer {}: {}; retrying in {} ms", name, e.getMessage(), backoff.toMillis());
                if (pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void listAll() {
        List<T> items = new ArrayList<>();
        String continueToken = "";
        String rv;
        do {
            ObjectList<T> page = client.list(type, baseOptions().withLimit(options.pageSize()).withContinue(continueToken));
            page.items().forEach(item -> items.add(transform.apply(item)));
            rv = page.resourceVersion();
            continueToken = page.continueToken();
        } while (!continueToken.isEmpty());
        lists.incrementAndGet();
        lastResourceVersion = rv;
        enqueue(new Change.Replace<>(items));
    }

    /** Watches until the watch ends; returns the error that ended it, if any. */
    private Optional<ApiException> watchOnce() throws InterruptedException {
        CompletableFuture<Optional<ApiException>> ended = new CompletableFuture<>();
        // Spread over [timeout, 2 × timeout) as client-go does, so that informers do not all re-watch at once.
        long timeout = options.watchTimeoutSeconds() + ThreadLocalRandom.current().nextLong(options.watchTimeoutSeconds());
        ListOptions watchOptions = baseOptions().withResourceVersion(lastResourceVersion).withBookmarks(true)
                .withTimeoutSeconds(timeout);
        WatchHandle handle = client.watch(type, watchOptions, new WatchListener<>() {
            @Override
            public void onEvent(WatchEvent<T> event) {
                String rv = event.object().getMetadata() == null ? null : event.object().getMetadata().getResourceVersion();
                if (event.type() != WatchEvent.Type.BOOKMARK) {
                    enqueue(new Change.Watched<>(new WatchEvent<>(event.type(), transform.apply(event.object()))));
                }
                if (rv != null && !rv.isEmpty()) {
                    lastResourceVersion = rv;
                }
            }

            @Override
            public void onClose(Optional<ApiException> error) {
                ended.complete(error);
            }
        });
        watches.incrementAndGet();
        lock.lock();
        try {
            if (stopped) {
                handle.close();
            }
            currentWatch = handle;
        } finally {
            lock.unlock();
        }
        try {
            return ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            handle.close();
        }
    }

    private void resync() {
        while (!pause(options.resyncPeriod())) {
            if (hasSynced()) {
                changes.offer(new Change.Resync<>());
            }
        }
    }

    private void dispatch() {
        while (true) {
            Change<T> change;
            try {
                change = changes.take();
            } catch (InterruptedException e) {
                return;
            }
            switch (change) {
                case Change.Replace<T> r -> replace(r.items());
                case Change.Watched<T> w -> watched(w.event());
                case Change.Resync<T> r -> store.snapshot().values().forEach(o -> notify(h -> h.onUpdate(o, o)));
                case Change.AddHandler<T> a -> addHandlerNow(a.handler());
            }
        }
    }

    private void addHandlerNow(ResourceEventHandler<T> handler) {
        handlers.add(handler);
        store.snapshot().values().forEach(o -> call(handler, h -> h.onAdd(o)));
    }

    private void replace(List<T> items) {
        Map<String, T> before = store.snapshot();
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            seen.add(IndexedStore.key(item));
            T old = store.put(item).orElse(null);
            if (old == null) {
                notify(h -> h.onAdd(item));
            } else if (!Objects.equals(version(old), version(item))) {
                notify(h -> h.onUpdate(old, item));
            }
        }
        before.forEach((key, old) -> {
            if (!seen.contains(key)) {
                store.remove(key);
                notify(h -> h.onDelete(old, true));
            }
        });
        synced.countDown();
    }

    private void watched(WatchEvent<T> event) {
        T object = event.object();
        switch (event.type()) {
            case ADDED, MODIFIED -> {
                T old = store.put(object).orElse(null);
                if (old == null) {
                    notify(h -> h.onAdd(object));
                } else if (!Objects.equals(version(old), version(object))) {
                    notify(h -> h.onUpdate(old, object));
                }
            }
            case DELETED -> {
                if (store.remove(IndexedStore.key(object)).isPresent()) {
                    notify(h -> h.onDelete(object, false));
                }
            }
            case BOOKMARK -> {
            }
        }
    }

    private static String version(HasMetadata o) {
        return o.getMetadata().getResourceVersion();
    }

    private void notify(Consumer<ResourceEventHandler<T>> call) {
        for (ResourceEventHandler<T> h : handlers) {
            call(h, call);
        }
    }

    private void call(ResourceEventHandler<T> handler, Consumer<ResourceEventHandler<T>> call) {
        try {
            call.accept(handler);
        } catch (RuntimeException e) {
            // One broken handler must not starve the others or stop the informer.
            log.error("informer {}: event handler {} failed", name, handler, e);
        }
    }

    private sealed interface Change<T> {
        record Replace<T>(List<T> items) implements Change<T> {
        }

        record Watched<T>(WatchEvent<T> event) implements Change<T> {
        }

        record Resync<T>() implements Change<T> {
        }

        record AddHandler<T>(ResourceEventHandler<T> handler) implements Change<T> {
        }
    }
}
