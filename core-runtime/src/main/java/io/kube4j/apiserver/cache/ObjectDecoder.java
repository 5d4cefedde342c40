package io.kube4j.apiserver.cache;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.selection.FieldSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a stored value into a {@link CachedObject} in one streaming pass: it reads the name,
 * namespace, labels and the kind's selectable fields, and splices {@code metadata.resourceVersion}
 * into the stored bytes instead of parsing and writing the whole object again. This runs once per
 * change, on the cache's single dispatcher thread, so it is on every write's path.
 */
final class ObjectDecoder {
    private static final ObjectNode NO_LABELS = JsonNodeFactory.instance.objectNode();

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    /** Per kind: dotted JSON path to the field selector's name for it (outside metadata). */
    private final Map<String, Map<String, String>> selectable = new ConcurrentHashMap<>();

    ObjectDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader();
    }

    /** The cache entry of {@code value} (the stored JSON, without a resourceVersion) at revision {@code rev}. */
    CachedObject decode(ResourceType type, String key, byte[] value, long rev) {
        Map<String, String> wanted = selectable.computeIfAbsent(type.kind(), ObjectDecoder::selectableFields);
        try (JsonParser p = mapper.getFactory().createParser(value)) {
            Scan scan = new Scan(wanted);
            if (p.nextToken() != JsonToken.START_OBJECT || !scan.root(p, "") || scan.metadataEnd < 0) {
                return decodeTree(type, key, value, rev);
            }
            byte[] json = splice(value, scan.metadataEnd, scan.metadataEmpty, rev);
            return new CachedObject(type, key, json, rev, scan.namespace, scan.name,
                    scan.labels == null ? NO_LABELS : scan.labels, scan.fields, reader);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot decode " + key + " at revision " + rev, ex);
        }
    }

    /**
     * The slow way, for values the scan does not take (no metadata object, or one that already
     * has a resourceVersion): parse, set, write.
     */
    private CachedObject decodeTree(ResourceType type, String key, byte[] value, long rev) throws IOException {
        ObjectNode node = (ObjectNode) mapper.readTree(value);
        ObjectNode meta = node.get("metadata") instanceof ObjectNode m ? m : node.putObject("metadata");
        meta.put("resourceVersion", Long.toString(rev));
        byte[] json = mapper.writeValueAsBytes(node);
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, String> f : selectable.get(type.kind()).entrySet()) {
            JsonNode n = node;
            for (String part : f.getKey().split("\\.")) {
                n = n.path(part);
            }
            if (n.isValueNode() && !n.isNull()) {
                fields.put(f.getValue(), n.asText());
            }
        }
        JsonNode labels = meta.get("labels") instanceof ObjectNode l ? l : NO_LABELS;
        return new CachedObject(type, key, json, rev, meta.path("namespace").asText(""), meta.path("name").asText(""),
                labels, fields, reader);
    }

    private static byte[] splice(byte[] value, int at, boolean empty, long rev) {
        byte[] field = ((empty ? "" : ",") + "\"resourceVersion\":\"" + rev + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[value.length + field.length];
        System.arraycopy(value, 0, out, 0, at);
        System.arraycopy(field, 0, out, at, field.length);
        System.arraycopy(value, at, out, at + field.length, value.length - at);
        return out;
    }

    private static Map<String, String> selectableFields(String kind) {
        Map<String, String> paths = new HashMap<>();
        for (String field : FieldSelector.supported(kind)) {
            if (!field.startsWith("metadata.")) {
                paths.put(field.equals("source") ? "source.component" : field, field);
            }
        }
        return paths;
    }

    /** What one pass over an object collects. */
    private static final class Scan {
        private final Map<String, String> wanted;
        final Map<String, String> fields = new HashMap<>();
        String name = "";
        String namespace = "";
        ObjectNode labels;
        int metadataEnd = -1;
        boolean metadataEmpty = true;

        Scan(Map<String, String> wanted) {
            this.wanted = wanted;
        }

        /** Reads the object the parser is at the start of; false if the fast path can't take it. */
        boolean root(JsonParser p, String prefix) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (prefix.isEmpty() && field.equals("metadata")) {
                    if (value != JsonToken.START_OBJECT || !metadata(p)) {
                        return false;
                    }
                    continue;
                }
                String path = prefix.isEmpty() ? field : prefix + "." + field;
                if (value == JsonToken.START_OBJECT && wantsBelow(path)) {
                    if (!root(p, path)) {
                        return false;
                    }
                } else if (value.isScalarValue()) {
                    String selector = wanted.get(path);
                    if (selector != null && value != JsonToken.VALUE_NULL) {
                        fields.put(selector, p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
            return true;
        }

        private boolean metadata(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                metadataEmpty = false;
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> name = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "namespace" -> namespace = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "labels" -> {
                        if (value == JsonToken.START_OBJECT) {
                            labels = p.readValueAsTree();
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "resourceVersion" -> {
                        return false;
                    }
                    default -> p.skipChildren();
                }
            }
            metadataEnd = Math.toIntExact(p.currentTokenLocation().getByteOffset());
            return true;
        }

        private boolean wantsBelow(String path) {
            String dotted = path + ".";
            for (String w : wanted.keySet()) {
                if (w.startsWith(dotted)) {
                    return true;
                }
            }
            return false;
        }
    }
}
