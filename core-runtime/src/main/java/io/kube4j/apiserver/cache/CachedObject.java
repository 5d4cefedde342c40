package io.kube4j.apiserver.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One object as the cache holds it: the tree (with {@code metadata.resourceVersion} set), its
 * JSON encoding made once, and the store revision of its last change. Shared by every reader:
 * never change {@code object}; {@code deepCopy()} it first.
 */
public record CachedObject(ResourceType type, String key, ObjectNode object, byte[] json, long revision,
                           WatchFrames frames) {

    public CachedObject(ResourceType type, String key, ObjectNode object, byte[] json, long revision) {
        this(type, key, object, json, revision, new WatchFrames());
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }

    /**
     * The line a JSON watch sends for this object as an event of {@code type}, built once however
     * many watchers send it. Never change the returned array.
     */
    public byte[] watchFrame(CacheEvent.Type type) {
        return frames.get(type, json);
    }

    /** The watch lines of one object, made on first use, one per event type. */
    public static final class WatchFrames {
        private final AtomicReferenceArray<byte[]> frames = new AtomicReferenceArray<>(CacheEvent.Type.values().length);

        byte[] get(CacheEvent.Type type, byte[] json) {
            byte[] frame = frames.get(type.ordinal());
            if (frame == null) {
                byte[] head = ("{\"type\":\"" + type.name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
                frame = new byte[head.length + json.length + 2];
                System.arraycopy(head, 0, frame, 0, head.length);
                System.arraycopy(json, 0, frame, head.length, json.length);
                frame[frame.length - 2] = '}';
                frame[frame.length - 1] = '\n';
                frames.compareAndSet(type.ordinal(), null, frame);
            }
            return frame;
        }
    }
}
