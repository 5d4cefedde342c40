package io.kube4j.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.apiserver.validation.FieldError.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Collects the errors of one validation, with kube's constructors (field.Required, field.Invalid, ...). */
final class Errors {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final List<FieldError> list = new ArrayList<>();

    List<FieldError> list() {
        return List.copyOf(list);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    void required(String path, String detail) {
        list.add(new FieldError(Type.REQUIRED, path, MissingNode.getInstance(), detail));
    }

    void required(String path) {
        required(path, "");
    }

    void invalid(String path, JsonNode value, String detail) {
        list.add(new FieldError(Type.INVALID, path, value == null ? NODES.nullNode() : value, detail));
    }

    void invalid(String path, String value, String detail) {
        invalid(path, NODES.textNode(value), detail);
    }

    void invalid(String path, long value, String detail) {
        invalid(path, NODES.numberNode(value), detail);
    }

    void forbidden(String path, String detail) {
        list.add(new FieldError(Type.FORBIDDEN, path, MissingNode.getInstance(), detail));
    }

    void notSupported(String path, JsonNode value, List<String> supported) {
        String detail = supported.isEmpty() ? "" : "supported values: "
                + supported.stream().map(GoFormat::quote).collect(Collectors.joining(", "));
        list.add(new FieldError(Type.NOT_SUPPORTED, path, value == null ? NODES.textNode("") : value, detail));
    }

    void duplicate(String path, JsonNode value) {
        list.add(new FieldError(Type.DUPLICATE, path, value, ""));
    }

    void tooLong(String path, int max) {
        list.add(new FieldError(Type.TOO_LONG, path, MissingNode.getInstance(),
                "may not be more than " + max + (max == 1 ? " byte" : " bytes")));
    }

    void tooMany(String path, int actual, int max) {
        list.add(new FieldError(Type.TOO_MANY, path, NODES.numberNode(actual), "must have at most " + max + " items"));
    }

    void notFound(String path, JsonNode value) {
        list.add(new FieldError(Type.NOT_FOUND, path, value, ""));
    }

    /** One Invalid error per message that {@code check} has about {@code value}. */
    void check(String path, String value, Function<String, List<String>> check) {
        for (String message : check.apply(value)) {
            invalid(path, value, message);
        }
    }

    void nonNegative(String path, JsonNode value) {
        if (value != null && value.isNumber() && value.asLong() < 0) {
            invalid(path, value, "must be greater than or equal to 0");
        }
    }

    void immutable(String path, JsonNode value, JsonNode old) {
        JsonNode newValue = orNull(value);
        if (!newValue.equals(orNull(old))) {
            invalid(path, newValue, "field is immutable");
        }
    }

    static JsonNode orNull(JsonNode value) {
        return value == null || value.isMissingNode() ? NODES.nullNode() : value;
    }

    // Tree helpers shared by the validators.

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** A string field as Go sees it: absent is the empty string. */
    static JsonNode stringValue(JsonNode node, String field) {
        return NODES.textNode(text(node, field));
    }

    static boolean has(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && !value.isNull();
    }

    static ObjectNode object(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value instanceof ObjectNode object ? object : NODES.objectNode();
    }

    static List<JsonNode> items(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (value instanceof ArrayNode array) {
            array.forEach(out::add);
        }
        return out;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static String key(String path, String key) {
        return path + "[" + key + "]";
    }
}
