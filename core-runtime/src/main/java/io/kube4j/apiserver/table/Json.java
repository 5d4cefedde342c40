package io.kube4j.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Lenient reads of object fields: a missing field reads as empty, zero or false, as Go's zero values do. */
final class Json {
    private Json() {
    }

    static String text(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    static long number(JsonNode node, String pointer) {
        return node.at(pointer).asLong(0);
    }

    static boolean bool(JsonNode node, String pointer) {
        return node.at(pointer).asBoolean(false);
    }

    static boolean has(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return !n.isMissingNode() && !n.isNull();
    }

    static List<JsonNode> list(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        List<JsonNode> result = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(result::add);
        }
        return result;
    }

    static int size(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return n.isContainerNode() ? n.size() : 0;
    }

    static String orNone(String s) {
        return s.isEmpty() ? "<none>" : s;
    }
}
