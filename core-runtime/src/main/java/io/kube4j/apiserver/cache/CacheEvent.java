package io.kube4j.apiserver.cache;

import java.util.Optional;

/**
 * A change as watchers see it. {@code object} is the new state (for DELETED: the last state, with
 * the deletion's resourceVersion); {@code previous} the state before, empty for ADDED.
 */
public record CacheEvent(Type type, CachedObject object, Optional<CachedObject> previous) {
    public enum Type { ADDED, MODIFIED, DELETED }

    public long revision() {
        return object.revision();
    }
}
