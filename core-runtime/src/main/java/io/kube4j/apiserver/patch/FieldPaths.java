package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field paths of server-side apply, written as FieldsV1 path elements: {@code f:<field>},
 * {@code k:<json of the key fields>} for an element of an associative list, {@code v:<json>} for an
 * element of a set. A field set is a flat set of such paths; each path is owned as a whole.
 */
final class FieldPaths {
    /** Fields that are never owned (kube's stripped metadata). */
    private static final Set<List<String>> IGNORED = Set.of(
            List.of("f:apiVersion"), List.of("f:kind"),
            List.of("f:metadata", "f:name"), List.of("f:metadata", "f:namespace"),
            List.of("f:metadata", "f:creationTimestamp"), List.of("f:metadata", "f:selfLink"),
            List.of("f:metadata", "f:uid"), List.of("f:metadata", "f:generation"),
            List.of("f:metadata", "f:managedFields"), List.of("f:metadata", "f:resourceVersion"));

    private FieldPaths() {
    }

    /** The set of paths an object sets: its leaves, atomic values and list elements. */
    static Set<List<String>> of(JsonNode object, Schema schema) {
        Set<List<String>> set = new HashSet<>();
        walk(object, schema, new ArrayList<>(), path -> set.add(List.copyOf(path)), true);
        return set;
    }

    /** {@code toFieldsV1(of(object, schema))} in one walk, without the path set: what a create records. */
    static ObjectNode fieldsV1Of(JsonNode object, Schema schema) {
        Node root = new Node();
        walk(object, schema, new ArrayList<>(), path -> root.insert(path), true);
        return root.toJson();
    }

    /** Where a walk puts each path it finds; the list is the walk's own and changes after the call. */
    private interface PathSink {
        void add(List<String> path);
    }

    private static void walk(JsonNode value, Schema schema, List<String> path, PathSink set, boolean owned) {
        if (path.size() <= 2 && IGNORED.contains(path)) {
            return;
        }
        if (value instanceof ObjectNode object && !schema.atomicStruct() && schema.shape() != Schema.Shape.SCALAR) {
            // An empty map is as good as absent (Go omits it); an empty struct such as emptyDir: {} means something.
            if (object.isEmpty() && owned && !path.isEmpty() && schema.shape() != Schema.Shape.MAP) {
                set.add(path);
            }
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isNull()) {
                    continue;
                }
                path.add("f:" + e.getKey());
                walk(e.getValue(), schema.field(e.getKey()), path, set, true);
                path.remove(path.size() - 1);
            }
            return;
        }
        if (value instanceof ArrayNode array && schema.shape() == Schema.Shape.LIST) {
            ListMeta meta = schema.list();
            List<String> elements = elementKeys(array, schema);
            if (elements != null) {
                for (int i = 0; i < array.size(); i++) {
                    path.add(elements.get(i));
                    set.add(path);
                    if (meta.associative()) {
                        walk(array.get(i), schema.element(), path, set, false);
                    }
                    path.remove(path.size() - 1);
                }
                return;
            }
        }
        set.add(path);
    }

    /**
     * Rejects what kube's apply validation rejects: an associative list element without its key, and two
     * elements of an associative list or set with the same key.
     */
    static void validate(JsonNode value, Schema schema, List<String> path) throws PatchException {
        if (value instanceof ObjectNode object && schema.shape() != Schema.Shape.SCALAR) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                path.add("f:" + e.getKey());
                validate(e.getValue(), schema.field(e.getKey()), path);
                path.remove(path.size() - 1);
            }
        } else if (value instanceof ArrayNode array && schema.shape() == Schema.Shape.LIST) {
            ListMeta meta = schema.list();
            Set<String> seen = new HashSet<>();
            for (JsonNode item : array) {
                String key;
                if (meta.associative()) {
                    key = itemKey(item, meta);
                    if (key == null) {
                        throw PatchException.unprocessable(format(path) + ": associative list with keys " + meta.applyKeys()
                                + " has an element that omits a key field: " + item);
                    }
                } else if (meta.applySet()) {
                    key = "v:" + Json.compact(item);
                } else {
                    return;
                }
                if (!seen.add(key)) {
                    throw PatchException.unprocessable(format(path) + ": duplicate entries for key " + format(List.of(key)));
                }
                path.add(key);
                validate(item, schema.element(), path);
                path.remove(path.size() - 1);
            }
        }
    }

    /** The path element of each element of a granular list, or {@code null} when the list is atomic. */
    static List<String> elementKeys(ArrayNode array, Schema listSchema) {
        ListMeta meta = listSchema.list();
        List<String> keys = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            String key;
            if (meta.associative()) {
                key = itemKey(item, meta);
            } else if (meta.applySet() && item.isValueNode()) {
                key = "v:" + Json.compact(item);
            } else {
                return null;
            }
            if (key == null || keys.contains(key)) {
                return null;
            }
            keys.add(key);
        }
        return keys;
    }

    private static String itemKey(JsonNode item, ListMeta meta) {
        if (!item.isObject()) {
            return null;
        }
        ObjectNode key = Json.NODES.objectNode();
        for (String field : new TreeSet<>(meta.applyKeys())) {
            JsonNode v = item.get(field);
            if (v == null || v.isNull()) {
                String fallback = meta.keyDefaults().get(field);
                if (fallback == null) {
                    return null;
                }
                v = Json.NODES.textNode(fallback);
            }
            key.set(field, v);
        }
        return "k:" + Json.compact(key);
    }

    /** The path element an item of a list stands for: {@code v:<json>} in a set, else {@code k:<key fields>}. */
    private static String elementKey(JsonNode item, Schema listSchema, boolean byValue) {
        return byValue ? "v:" + Json.compact(item) : itemKey(item, listSchema.list());
    }

    /** Finds the element of {@code array} that a {@code k:} or {@code v:} path element names. */
    static int indexOf(ArrayNode array, String element, Schema listSchema) {
        boolean byValue = element.startsWith("v:");
        for (int i = 0; i < array.size(); i++) {
            if (element.equals(elementKey(array.get(i), listSchema, byValue))) {
                return i;
            }
        }
        return -1;
    }

    /** How a walk down a path finds a list's element: the index in {@code array} of {@code element}, or -1. */
    private interface ElementFinder {
        int find(ArrayNode array, String element, Schema listSchema);
    }

    /** The value at {@code path}, or {@code null} when absent. */
    static JsonNode get(JsonNode root, List<String> path, Schema schema) {
        return get(root, path, schema, FieldPaths::indexOf);
    }

    private static JsonNode get(JsonNode root, List<String> path, Schema schema, ElementFinder finder) {
        JsonNode node = root;
        for (String element : path) {
            if (node == null) {
                return null;
            }
            if (element.startsWith("f:")) {
                String name = element.substring(2);
                node = node.isObject() ? node.get(name) : null;
                schema = schema.field(name);
            } else if (node instanceof ArrayNode array) {
                int i = finder.find(array, element, schema);
                node = i < 0 ? null : array.get(i);
                schema = schema.element();
            } else {
                return null;
            }
        }
        return node;
    }

    /**
     * {@link #get} for the many lookups of one write: each list's element keys are computed once
     * (per list node, by identity) instead of once per lookup. Valid while the trees do not change.
     */
    static final class Lookup {
        private final Schema schema;
        private final Map<ArrayNode, Map<String, Integer>> keyed = new IdentityHashMap<>();
        private final Map<ArrayNode, Map<String, Integer>> valued = new IdentityHashMap<>();

        Lookup(Schema schema) {
            this.schema = schema;
        }

        private final ElementFinder finder = (array, element, listSchema) -> {
            boolean byValue = element.startsWith("v:");
            Integer i = (byValue ? valued : keyed).computeIfAbsent(array, a -> index(a, listSchema, byValue)).get(element);
            return i == null ? -1 : i;
        };

        JsonNode get(JsonNode root, List<String> path) {
            return FieldPaths.get(root, path, schema, finder);
        }

        /** As {@link #indexOf}: the first element with each key. */
        private static Map<String, Integer> index(ArrayNode array, Schema listSchema, boolean byValue) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < array.size(); i++) {
                String key = elementKey(array.get(i), listSchema, byValue);
                if (key != null) {
                    index.putIfAbsent(key, i);
                }
            }
            return index;
        }
    }

    /** Removes the value at {@code path} if present. */
    static void remove(JsonNode root, List<String> path, Schema schema) {
        JsonNode parent = root;
        Schema parentSchema = schema;
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            String element = path.get(i);
            parent = get(parent, List.of(element), parentSchema);
            parentSchema = element.startsWith("f:") ? parentSchema.field(element.substring(2)) : parentSchema.element();
        }
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last.startsWith("f:")) {
            object.remove(last.substring(2));
        } else if (parent instanceof ArrayNode array) {
            int i = indexOf(array, last, parentSchema);
            if (i >= 0) {
                array.remove(i);
            }
        }
    }

    /** Whether the path ends at a key field of a list element, which must stay while the element does. */
    static boolean isKeyField(List<String> path) {
        if (path.size() < 2 || !path.get(path.size() - 2).startsWith("k:") || !path.get(path.size() - 1).startsWith("f:")) {
            return false;
        }
        String name = path.get(path.size() - 1).substring(2);
        return path.get(path.size() - 2).contains(Json.compact(Json.NODES.textNode(name)) + ":");
    }

    /**
     * After a removal below {@code path}: removes the lists and maps it left empty, up from {@code path},
     * as Go's omitempty would not have kept them.
     */
    static void pruneEmpty(JsonNode root, List<String> path, Schema schema) {
        for (int i = path.size(); i > 0; i--) {
            List<String> p = path.subList(0, i);
            JsonNode node = get(root, p, schema);
            boolean empty = node != null && node.isEmpty() && (node.isArray() || (node.isObject() && schemaAt(p, schema).shape() == Schema.Shape.MAP));
            if (!empty) {
                return;
            }
            remove(root, p, schema);
        }
    }

    private static Schema schemaAt(List<String> path, Schema schema) {
        for (String element : path) {
            schema = element.startsWith("f:") ? schema.field(element.substring(2)) : schema.element();
        }
        return schema;
    }

    /** Paths of the set that no other path of the set lies below. */
    static Set<List<String>> leaves(Set<List<String>> set) {
        Set<List<String>> prefixes = new HashSet<>();
        for (List<String> p : set) {
            for (int i = 0; i < p.size(); i++) {
                prefixes.add(p.subList(0, i));
            }
        }
        Set<List<String>> leaves = new HashSet<>(set);
        leaves.removeAll(prefixes);
        return leaves;
    }

    /** Whether {@code set} holds {@code path} or a path below it. */
    static boolean coversOrBelow(Set<List<String>> set, List<String> path) {
        for (List<String> p : set) {
            if (p.size() >= path.size() && p.subList(0, path.size()).equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** Serializes a set as FieldsV1. */
    static ObjectNode toFieldsV1(Set<List<String>> set) {
        Node root = new Node();
        set.forEach(root::insert);
        return root.toJson();
    }

    /** Parses FieldsV1; paths it cannot read are skipped. */
    static Set<List<String>> fromFieldsV1(JsonNode fields) {
        Set<List<String>> set = new HashSet<>();
        if (fields != null && fields.isObject()) {
            parse(fields, new ArrayList<>(), set);
        }
        return set;
    }

    private static void parse(JsonNode node, List<String> path, Set<List<String>> set) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals(".")) {
                set.add(List.copyOf(path));
                continue;
            }
            path.add(e.getKey());
            if (e.getValue().isEmpty()) {
                set.add(List.copyOf(path));
            } else {
                parse(e.getValue(), path, set);
            }
            path.remove(path.size() - 1);
        }
    }

    /** Prints a path as kube does in conflict messages: {@code .spec.containers[name="nginx"].image}. */
    static String format(List<String> path) {
        StringBuilder out = new StringBuilder();
        for (String element : path) {
            if (element.startsWith("f:")) {
                out.append('.').append(element, 2, element.length());
            } else if (element.startsWith("v:")) {
                out.append("[=").append(element, 2, element.length()).append(']');
            } else if (element.startsWith("k:")) {
                out.append('[');
                try {
                    JsonNode key = Json.MAPPER.readTree(element.substring(2));
                    List<String> parts = new ArrayList<>();
                    key.properties().forEach(e -> parts.add(e.getKey() + "=" + Json.compact(e.getValue())));
                    out.append(String.join(",", parts));
                } catch (JsonProcessingException e) {
                    out.append(element, 2, element.length());
                }
                out.append(']');
            } else {
                out.append(element);
            }
        }
        return out.toString();
    }

    private static final class Node {
        boolean member;
        final TreeMap<String, Node> children = new TreeMap<>();

        void insert(List<String> path) {
            Node node = this;
            for (String element : path) {
                node = node.children.computeIfAbsent(element, k -> new Node());
            }
            node.member = true;
        }

        ObjectNode toJson() {
            ObjectNode json = Json.NODES.objectNode();
            if (member && !children.isEmpty()) {
                json.set(".", Json.NODES.objectNode());
            }
            children.forEach((k, v) -> json.set(k, v.toJson()));
            return json;
        }
    }
}
