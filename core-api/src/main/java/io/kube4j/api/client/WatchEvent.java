package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

/** One event of a watch; for BOOKMARK the object carries only kind, apiVersion and resourceVersion. */
public record WatchEvent<T>(Type type, T object) {
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK }

    public WatchEvent {
        requireNonNull(type, "type is null");
        requireNonNull(object, "object is null");
    }
}
