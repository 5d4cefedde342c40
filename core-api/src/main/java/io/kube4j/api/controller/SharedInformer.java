package io.kube4j.api.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
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

    /** Computes the index values of one object (the nodes a pod is on, the owners of an object). */
    @FunctionalInterface
    interface IndexFunction<T> {

        /** The values under which {@code object} is found; empty for none. Pure, fast. */
        List<String> index(T object);
    }
}
