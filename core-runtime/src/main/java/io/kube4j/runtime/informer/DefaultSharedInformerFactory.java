package io.kube4j.runtime.informer;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.SharedInformer;
import io.kube4j.api.controller.SharedInformerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link ListWatchInformer} per type across all namespaces, all with the same options (resync
 * period, watch timeout). Informers asked for before {@link #start} start with it; later ones at
 * once. Owns its informers: {@link #close} stops them. An informer narrowed by a selector is not
 * shared: make one with {@link #newInformer} and close it yourself.
 */
public final class DefaultSharedInformerFactory implements SharedInformerFactory, AutoCloseable {
    private final ApiClient client;
    private final InformerOptions options;
    private final Map<Class<?>, ListWatchInformer<?>> informers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean started;

    public DefaultSharedInformerFactory(ApiClient client, InformerOptions options) {
        this.client = requireNonNull(client, "client is null");
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> ListWatchInformer<T> informerFor(Class<T> type) {
        requireNonNull(type, "type is null");
        lock.lock();
        try {
            ListWatchInformer<T> informer = (ListWatchInformer<T>) informers.computeIfAbsent(type,
                    t -> new ListWatchInformer<>(client, type, options.withNamespace("").withLabelSelector("").withFieldSelector("")));
            if (started) {
                informer.start();
            }
            return informer;
        } finally {
            lock.unlock();
        }
    }

    /** An unshared informer with its own options, not started; the caller starts and closes it. */
    public <T extends HasMetadata> ListWatchInformer<T> newInformer(Class<T> type, InformerOptions informerOptions) {
        return new ListWatchInformer<>(client, type, informerOptions);
    }

    /** Starts every informer asked for so far, and later ones when asked for. Never blocks. */
    public void start() {
        lock.lock();
        try {
            started = true;
            informers.values().forEach(ListWatchInformer::start);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every informer asked for so far has synced; false on timeout. */
    public boolean waitForCacheSync(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ListWatchInformer<?> informer : List.copyOf(informers.values())) {
            if (!informer.waitForSync(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** The informers asked for so far. */
    public List<SharedInformer<?>> informers() {
        return new ArrayList<>(informers.values());
    }

    @Override
    public void close() {
        informers.values().forEach(ListWatchInformer::close);
    }
}
