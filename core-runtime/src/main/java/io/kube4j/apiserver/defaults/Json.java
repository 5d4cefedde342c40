package io.kube4j.apiserver.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small tree helpers: defaulting is mostly "set this field when the user left it out". */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static boolean absent(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull();
    }

    static boolean absentOrEmpty(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }

    static void text(ObjectNode node, String field, String value) {
        if (absentOrEmpty(node, field)) {
            node.put(field, value);
        }
    }

    static void integer(ObjectNode node, String field, int value) {
        if (absent(node, field)) {
            node.put(field, value);
        }
    }

    static void bool(ObjectNode node, String field, boolean value) {
        if (absent(node, field)) {
            node.put(field, value);
        }
    }

    /** The child object, created when missing or null. */
    static ObjectNode object(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value instanceof ObjectNode child) {
            return child;
        }
        return node.putObject(field);
    }

    static Optional<ObjectNode> existing(ObjectNode node, String field) {
        return node.get(field) instanceof ObjectNode child ? Optional.of(child) : Optional.empty();
    }

    static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    /** The object elements of an array field; absent or non-array fields have none. */
    static List<ObjectNode> items(ObjectNode node, String field) {
        List<ObjectNode> out = new ArrayList<>();
        if (node.get(field) instanceof ArrayNode array) {
            for (JsonNode item : array) {
                if (item instanceof ObjectNode object) {
                    out.add(object);
                }
            }
        }
        return out;
    }
}
