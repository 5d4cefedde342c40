package io.kube4j.api.controller;

/**
 * Told about changes of an informer's cache, on the informer's thread, one at a time, in order.
 * Must not block and must not change the objects; usually maps them to keys for a queue.
 * Each method defaults to doing nothing.
 */
public interface ResourceEventHandler<T> {

    /** {@code object} appeared (or was there at the first list). */
    default void onAdd(T object) {
    }

    /**
     * {@code newObject} replaced {@code oldObject}. Also called with equal resourceVersions on
     * a periodic resync, so compare if it matters.
     */
    default void onUpdate(T oldObject, T newObject) {
    }

    /**
     * {@code object} was deleted. With {@code finalStateUnknown} the watch missed the deletion
     * and {@code object} is the last state the cache had, possibly stale.
     */
    default void onDelete(T object, boolean finalStateUnknown) {
    }
}
