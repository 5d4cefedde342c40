package io.kube4j.api.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One change seen by a watch.
 *
 * @param type   PUT (create or update) or DELETE
 * @param kv     the key after the change; for a DELETE its value is empty and modRevision is the deletion's
 * @param prevKv the key before the change; empty for a create
 */
public record StoreEvent(Type type, KeyValue kv, Optional<KeyValue> prevKv) {
    public enum Type { PUT, DELETE }

    public StoreEvent {
        requireNonNull(type, "type is null");
        requireNonNull(kv, "kv is null");
        requireNonNull(prevKv, "prevKv is null");
    }

    /** The revision of this change. */
    public long revision() {
        return kv.modRevision();
    }

    /** Whether this PUT created the key. */
    public boolean isCreate() {
        return type == Type.PUT && kv.version() == 1;
    }
}
