package io.kube4j.api.controller;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The key of one object to reconcile. Only the key: the reconciler reads the object itself from
 * the cache, so that many events for one object collapse into one reconcile.
 *
 * @param namespace the namespace, "" for cluster-scoped objects
 * @param name the name
 */
public record Request(String namespace, String name) {

    public Request {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        if (namespace.contains("/") || name.contains("/")) {
            throw new IllegalArgumentException("namespace and name cannot contain '/': " + namespace + "/" + name);
        }
    }

    /** The key of {@code object}. */
    public static Request of(HasMetadata object) {
        requireNonNull(object.getMetadata(), "metadata is null");
        String namespace = object.getMetadata().getNamespace();
        return new Request(namespace == null ? "" : namespace, object.getMetadata().getName());
    }

    /** Parses {@link #toString()}: {@code namespace/name}, or {@code name} for cluster-scoped objects. */
    public static Request parse(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new Request("", key) : new Request(key.substring(0, slash), key.substring(slash + 1));
    }

    /** {@code namespace/name}, or {@code name} when cluster-scoped, as client-go's MetaNamespaceKeyFunc. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
