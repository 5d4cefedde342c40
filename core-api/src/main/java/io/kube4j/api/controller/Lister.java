package io.kube4j.api.controller;

import java.util.List;
import java.util.Optional;

/**
 * Reads a shared informer's cache. Never blocks, never does I/O; thread-safe. The returned objects
 * are shared with every other reader: never change them, copy first (a fabric8 builder:
 * {@code new PodBuilder(pod).build()}). The cache may lag the API server; writes based on it use
 * {@code resourceVersion} and may get a 409 Conflict, which is fine: retry.
 */
public interface Lister<T> {

    /** The index every informer has: by namespace ("" for cluster-scoped objects). */
    String NAMESPACE_INDEX = "namespace";

    /** The object, or empty if the cache does not have it. */
    Optional<T> get(String namespace, String name);

    /** Every object in the cache. */
    List<T> list();

    /** Every object in {@code namespace}. */
    default List<T> list(String namespace) {
        return byIndex(NAMESPACE_INDEX, namespace);
    }

    /** The objects whose index {@code indexName} yields {@code value}; an unknown index is an error. */
    List<T> byIndex(String indexName, String value);

    /** The object a request names. */
    default Optional<T> get(Request request) {
        return get(request.namespace(), request.name());
    }
}
