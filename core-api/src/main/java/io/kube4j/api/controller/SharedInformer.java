package io.kube4j.api.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;

/**
 * A cache of one type kept current by a list and a watch of the API server (relisting after a
 * 410 Gone), shared by every controller that needs the type, and telling handlers about changes.
 * Thread-safe.
 */
public interface SharedInformer<T extends HasMetadata> {

    /** Reads the cache. */
    Lister<T> lister();

    /**
     * Adds a handler. It first receives an {@code onAdd} for every object already in the cache,
     * then each change in order. Handlers run on the informer's thread, one event at a time, so
     * they must not block: they map to keys and put them on a queue.
     */
    void addEventHandler(ResourceEventHandler<T> handler);

    /**
     * Adds an index that {@link Lister#byIndex} can read. Must be called before the informer
     * starts (in {@link ControllerFactory#create}); a second index of the same name is an error.
     */
    void addIndexer(String indexName, IndexFunction<T> function);

    /** Whether the first full list has been loaded; before it the cache may miss objects. */
    boolean hasSynced();

    /**
     * Waits until every one of {@code informers} has synced, for at most {@code timeout}; true if
     * they have. For components that must not serve from a half-filled cache (an add-on's start).
     * Blocks the calling thread; informers that were never started never sync.
     */
    static boolean awaitSynced(Duration timeout, List<? extends SharedInformer<?>> informers) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!informers.stream().allMatch(SharedInformer::hasSynced)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            // hasSynced has no listener to wait on; a short pause keeps the wait from spinning.
            Thread.sleep(10);
        }
        return true;
    }

    /** Computes the index values of one object (the nodes a pod is on, the owners of an object). */
    @FunctionalInterface
    interface IndexFunction<T> {

        /** The values under which {@code object} is found; empty for none. Pure, fast. */
        List<String> index(T object);
    }
}
