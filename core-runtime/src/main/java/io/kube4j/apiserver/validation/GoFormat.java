package io.kube4j.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders values the way kube-apiserver's messages print them (Go's %q and %#v), so that an error about a selector
 * reads {@code v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ...}} as it does against a real cluster.
 */
final class GoFormat {
    /** Text printed as is in a message, where kube prints a Go value. */
    record Literal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private GoFormat() {
    }

    static JsonNode literal(String text) {
        return new POJONode(new Literal(text));
    }

    /** Go's strconv.Quote. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
                        out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A {@code map[string]string} such as labels, keys sorted as Go prints them. */
    static String stringMap(JsonNode map) {
        if (map == null || !map.isObject()) {
            return "map[string]string(nil)";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            sorted.put(entry.getKey(), entry.getValue().asText());
        }
        List<String> entries = new ArrayList<>();
        sorted.forEach((k, v) -> entries.add(quote(k) + ":" + quote(v)));
        return "map[string]string{" + String.join(", ", entries) + "}";
    }

    /** A {@code []string}. */
    static String stringSlice(JsonNode array) {
        if (array == null || !array.isArray()) {
            return "[]string(nil)";
        }
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(quote(item.asText())));
        return "[]string{" + String.join(", ", items) + "}";
    }

    /** A metav1.LabelSelector value. */
    static String labelSelector(JsonNode selector) {
        JsonNode expressions = selector.get("matchExpressions");
        String requirements;
        if (expressions == null || !expressions.isArray()) {
            requirements = "[]v1.LabelSelectorRequirement(nil)";
        } else {
            List<String> items = new ArrayList<>();
            for (JsonNode e : expressions) {
                items.add("v1.LabelSelectorRequirement{Key:" + quote(e.path("key").asText()) + ", Operator:"
                        + quote(e.path("operator").asText()) + ", Values:" + stringSlice(e.get("values")) + "}");
            }
            requirements = "[]v1.LabelSelectorRequirement{" + String.join(", ", items) + "}";
        }
        return "v1.LabelSelector{MatchLabels:" + stringMap(selector.get("matchLabels")) + ", MatchExpressions:"
                + requirements + "}";
    }
}
