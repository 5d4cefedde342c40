package io.kube4j.apiserver.cache;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One object as the cache holds it: its JSON encoding (with {@code metadata.resourceVersion}
 * set), the store revision of its last change, and the few values that selectors read (name,
 * namespace, labels and the kind's selectable fields), taken out once when the object was decoded.
 *
 * <p>The cache keeps bytes, not trees: a Jackson tree of a pod takes about eight times the memory
 * of its JSON, and ten thousand pods would fill the heap with them. {@link #object()} parses a
 * new tree on each call, for the few readers that need one. Shared by every reader: never change
 * {@link #json()}.
 */
public final class CachedObject {
    private final ResourceType type;
    private final String key;
    private final byte[] json;
    private final long revision;
    private final String namespace;
    private final String name;
    private final JsonNode labels;
    private final Map<String, String> fields;
    private final ObjectReader reader;
    private final WatchFrames frames = new WatchFrames();

    CachedObject(ResourceType type, String key, byte[] json, long revision, String namespace, String name,
                 JsonNode labels, Map<String, String> fields, ObjectReader reader) {
        this.type = requireNonNull(type, "type is null");
        this.key = requireNonNull(key, "key is null");
        this.json = requireNonNull(json, "json is null");
        this.revision = revision;
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.name = requireNonNull(name, "name is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.fields = Map.copyOf(fields);
        this.reader = requireNonNull(reader, "reader is null");
    }

    public ResourceType type() {
        return type;
    }

    /** The object's store key. */
    public String key() {
        return key;
    }

    /** The object's JSON, {@code metadata.resourceVersion} included. Never change the array. */
    public byte[] json() {
        return json;
    }

    /** The store revision of the object's last change: its resourceVersion. */
    public long revision() {
        return revision;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** {@code metadata.labels}: an object node, empty when the object has none. Never change it. */
    public JsonNode labels() {
        return labels;
    }

    /**
     * The value of a field that field selectors may name for this kind ({@code spec.nodeName},
     * {@code status.phase}, ...), as text; null when the object does not set it.
     */
    public String field(String path) {
        return switch (path) {
            case "metadata.name" -> name;
            case "metadata.namespace" -> namespace;
            default -> fields.get(path);
        };
    }

    /** A new tree of the object, parsed from {@link #json()}; the caller owns it. */
    public ObjectNode object() {
        try {
            return (ObjectNode) reader.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse cached " + key, e);
        }
    }

    /**
     * The line a JSON watch sends for this object as an event of {@code type}, built once however
     * many watchers send it. Never change the returned array.
     */
    public byte[] watchFrame(CacheEvent.Type type) {
        return frames.get(type, json);
    }

    @Override
    public String toString() {
        return key + "@" + revision;
    }

    /** The watch lines of one object, made on first use, one per event type. */
    static final class WatchFrames {
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
