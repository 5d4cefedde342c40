package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kubernetes strategic merge patch, merging in place into a copy the caller owns. */
final class StrategicMerge {
    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";

    private StrategicMerge() {
    }

    /** Merges {@code patch} into {@code original}, which it may modify, and returns the result. */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema schema) throws PatchException {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            switch (directive.asText()) {
                case "replace" -> {
                    ObjectNode replacement = patch.deepCopy();
                    replacement.remove(PATCH);
                    return mergeMap(Json.NODES.objectNode(), replacement, schema);
                }
                case "delete" -> {
                    return Json.NODES.objectNode();
                }
                case "merge" -> {
                    // merging is what happens anyway
                }
                default -> throw PatchException.unprocessable("unknown patch type: " + directive + " in map: " + patch);
            }
        }
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            if (!retain.isArray()) {
                throw PatchException.unprocessable("$retainKeys must be a list of strings: " + retain);
            }
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            original.retain(keep);
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, e.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length()), e.getValue());
            }
        }
        Map<String, JsonNode> orders = new LinkedHashMap<>();
        Map<String, List<JsonNode>> serverOrders = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getKey().startsWith(SET_ELEMENT_ORDER)) {
                String field = e.getKey().substring(SET_ELEMENT_ORDER.length());
                orders.put(field, e.getValue());
                serverOrders.put(field, identities(original.get(field), schema.field(field).list().mergeKey()));
            }
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (key.equals(PATCH) || key.equals(RETAIN_KEYS) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                continue;
            }
            if (value.isNull()) {
                original.remove(key);
                continue;
            }
            Schema child = schema.field(key);
            JsonNode current = original.get(key);
            if (current instanceof ObjectNode currentObject && value instanceof ObjectNode patchObject) {
                original.set(key, mergeMap(currentObject, patchObject, child));
            } else if (current instanceof ArrayNode currentArray && value instanceof ArrayNode patchArray) {
                original.set(key, mergeList(currentArray, patchArray, child));
            } else {
                original.set(key, fresh(value, child));
            }
        }
        for (Map.Entry<String, JsonNode> e : orders.entrySet()) {
            setElementOrder(original, e.getKey(), e.getValue(), serverOrders.get(e.getKey()), schema.field(e.getKey()));
        }
        return original;
    }

    /** A patch value for a member the original lacks: itself, with directives and nulls resolved. */
    private static JsonNode fresh(JsonNode value, Schema schema) throws PatchException {
        if (value instanceof ObjectNode object) {
            return mergeMap(Json.NODES.objectNode(), object, schema);
        }
        if (value instanceof ArrayNode array) {
            return mergeList(Json.NODES.arrayNode(), array, schema);
        }
        return value.deepCopy();
    }

    private static JsonNode mergeList(ArrayNode original, ArrayNode patch, Schema schema) throws PatchException {
        ListMeta meta = schema.list();
        if (schema.shape() != Schema.Shape.LIST || !meta.merge()) {
            return patch.deepCopy();
        }
        if (meta.mergeKey().isEmpty()) {
            ArrayNode result = original;
            for (JsonNode item : patch) {
                if (!contains(result, item)) {
                    result.add(item.deepCopy());
                }
            }
            return result;
        }
        String key = meta.mergeKey();
        Schema elementSchema = schema.element();
        for (JsonNode item : patch) {
            if (item.isObject() && "replace".equals(item.path(PATCH).asText(null))) {
                ArrayNode replacement = Json.NODES.arrayNode();
                for (JsonNode other : patch) {
                    if (other != item) {
                        replacement.add(fresh(other, elementSchema));
                    }
                }
                return replacement;
            }
        }
        ArrayNode result = original;
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchItem)) {
                throw PatchException.unprocessable("list with merge key \"" + key + "\" has a non-object element: " + item);
            }
            JsonNode keyValue = patchItem.get(key);
            if (keyValue == null) {
                throw PatchException.unprocessable("map: " + patchItem + " does not contain declared merge key: " + key);
            }
            String directive = patchItem.path(PATCH).asText("");
            if (directive.equals("delete")) {
                for (int i = result.size() - 1; i >= 0; i--) {
                    if (keyMatches(result.get(i), key, keyValue)) {
                        result.remove(i);
                    }
                }
                continue;
            }
            if (!directive.isEmpty() && !directive.equals("merge")) {
                throw PatchException.unprocessable("unknown patch type: " + directive + " in list element: " + patchItem);
            }
            int index = indexOf(result, key, keyValue);
            if (index >= 0 && result.get(index) instanceof ObjectNode existing) {
                result.set(index, mergeMap(existing, patchItem, elementSchema));
            } else {
                result.add(fresh(patchItem, elementSchema));
            }
        }
        return result;
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode values) throws PatchException {
        if (!values.isArray()) {
            throw PatchException.unprocessable(DELETE_FROM_PRIMITIVE_LIST + field + " must be a list: " + values);
        }
        if (original.get(field) instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (contains(values, list.get(i))) {
                    list.remove(i);
                }
            }
        }
    }

    /** What identifies each element of a list: its merge key's value, or the element itself. */
    private static List<JsonNode> identities(JsonNode list, String key) {
        List<JsonNode> ids = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode item : list) {
                ids.add(key.isEmpty() || !item.isObject() ? item : item.path(key));
            }
        }
        return ids;
    }

    /**
     * Orders a merged list as the patch's {@code $setElementOrder} says. Elements only the server has
     * (the patch's author did not know them) keep their place relative to the others: each goes before
     * the first ordered element that came after it on the server.
     */
    private static void setElementOrder(ObjectNode original, String field, JsonNode order, List<JsonNode> serverOrder, Schema schema)
            throws PatchException {
        if (!order.isArray()) {
            throw PatchException.unprocessable(SET_ELEMENT_ORDER + field + " must be a list: " + order);
        }
        if (!(original.get(field) instanceof ArrayNode list)) {
            return;
        }
        String key = schema.list().mergeKey();
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        List<JsonNode> sorted = new ArrayList<>();
        for (JsonNode wanted : identities(order, key)) {
            for (int i = 0; i < remaining.size(); i++) {
                if (Json.equal(identity(remaining.get(i), key), wanted)) {
                    sorted.add(remaining.remove(i));
                    break;
                }
            }
        }
        int from = 0;
        for (JsonNode serverOnly : remaining) {
            int serverIndex = serverIndex(serverOrder, identity(serverOnly, key));
            int at = sorted.size();
            for (int i = from; i < sorted.size(); i++) {
                int other = serverIndex(serverOrder, identity(sorted.get(i), key));
                if (other >= 0 && other > serverIndex) {
                    at = i;
                    break;
                }
            }
            sorted.add(at, serverOnly);
            from = at + 1;
        }
        ArrayNode result = Json.NODES.arrayNode();
        sorted.forEach(result::add);
        original.set(field, result);
    }

    private static JsonNode identity(JsonNode item, String key) {
        return key.isEmpty() || !item.isObject() ? item : item.path(key);
    }

    private static int serverIndex(List<JsonNode> serverOrder, JsonNode id) {
        for (int i = 0; i < serverOrder.size(); i++) {
            if (Json.equal(serverOrder.get(i), id)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(JsonNode list, JsonNode item) {
        for (JsonNode candidate : list) {
            if (Json.equal(candidate, item)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (keyMatches(list.get(i), key, value)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean keyMatches(JsonNode item, String key, JsonNode value) {
        JsonNode actual = item.get(key);
        return actual != null && Json.equal(actual, value);
    }
}
