package io.kube4j.apiserver.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;

/**
 * One object as the cache holds it: the tree (with {@code metadata.resourceVersion} set), its
 * JSON encoding made once, and the store revision of its last change. Shared by every reader:
 * never change {@code object}; {@code deepCopy()} it first.
 */
public record CachedObject(ResourceType type, String key, ObjectNode object, byte[] json, long revision) {

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }
}
