package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON patch on a copy of the document. */
final class JsonPatch {
    private JsonNode doc;

    private JsonPatch(JsonNode doc) {
        this.doc = doc;
    }

    static JsonNode apply(JsonNode target, JsonNode patch) throws PatchException {
        if (patch == null || !patch.isArray()) {
            throw PatchException.badRequest("json patch must be an array of operations");
        }
        // Validate the whole patch before touching the document so a malformed patch is 400 even when
        // an earlier operation would also fail to apply.
        List<Operation> ops = new ArrayList<>();
        for (JsonNode op : patch) {
            ops.add(Operation.parse(op));
        }
        JsonPatch p = new JsonPatch(target.deepCopy());
        for (Operation op : ops) {
            p.run(op);
        }
        return p.doc;
    }

    private record Operation(String op, List<String> path, List<String> from, JsonNode value, String rawPath) {
        static Operation parse(JsonNode node) throws PatchException {
            if (!node.isObject()) {
                throw PatchException.badRequest("json patch operation must be an object: " + node);
            }
            String op = text(node, "op");
            String path = text(node, "path");
            List<String> from = null;
            JsonNode value = null;
            switch (op) {
                case "add", "replace", "test" -> {
                    value = node.get("value");
                    if (value == null) {
                        throw PatchException.badRequest("json patch " + op + " operation is missing \"value\"");
                    }
                }
                case "move", "copy" -> from = pointer(text(node, "from"));
                case "remove" -> {
                    // no extra members
                }
                default -> throw PatchException.badRequest("unknown json patch operation \"" + op + "\"");
            }
            return new Operation(op, pointer(path), from, value, path);
        }

        private static String text(JsonNode node, String field) throws PatchException {
            JsonNode v = node.get(field);
            if (v == null || !v.isTextual()) {
                throw PatchException.badRequest("json patch operation " + node + " is missing string \"" + field + "\"");
            }
            return v.asText();
        }
    }

    /** Splits an RFC 6901 pointer into unescaped reference tokens. */
    static List<String> pointer(String pointer) throws PatchException {
        List<String> tokens = new ArrayList<>();
        if (pointer.isEmpty()) {
            return tokens;
        }
        if (pointer.charAt(0) != '/') {
            throw PatchException.badRequest("json pointer must start with '/': \"" + pointer + "\"");
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            StringBuilder token = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '~') {
                    char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
                    if (next == '0') {
                        token.append('~');
                    } else if (next == '1') {
                        token.append('/');
                    } else {
                        throw PatchException.badRequest("invalid escape in json pointer \"" + pointer + "\"");
                    }
                    i++;
                } else {
                    token.append(c);
                }
            }
            tokens.add(token.toString());
        }
        return tokens;
    }

    private void run(Operation op) throws PatchException {
        switch (op.op()) {
            case "add" -> add(op.path(), op.value().deepCopy(), op.rawPath());
            case "remove" -> remove(op.path(), op.rawPath());
            case "replace" -> {
                remove(op.path(), op.rawPath());
                add(op.path(), op.value().deepCopy(), op.rawPath());
            }
            case "move" -> {
                if (isProperPrefix(op.from(), op.path())) {
                    throw PatchException.unprocessable("cannot move \"" + op.rawPath() + "\" into one of its children");
                }
                JsonNode value = remove(op.from(), "from");
                add(op.path(), value, op.rawPath());
            }
            case "copy" -> add(op.path(), get(op.from(), "from").deepCopy(), op.rawPath());
            case "test" -> {
                JsonNode actual = get(op.path(), op.rawPath());
                if (!Json.equal(actual, op.value())) {
                    throw PatchException.unprocessable("testing value " + op.rawPath() + " failed");
                }
            }
            default -> throw new IllegalStateException(op.op());
        }
    }

    private static boolean isProperPrefix(List<String> prefix, List<String> path) {
        return prefix.size() < path.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    private JsonNode get(List<String> path, String raw) throws PatchException {
        JsonNode node = doc;
        for (String token : path) {
            node = child(node, token, raw);
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String token, String raw) throws PatchException {
        JsonNode next = null;
        if (node.isObject()) {
            next = node.get(token);
        } else if (node.isArray()) {
            int index = index(token, node.size() - 1, raw);
            next = node.get(index);
        }
        if (next == null) {
            throw PatchException.unprocessable("path " + raw + " does not exist");
        }
        return next;
    }

    private JsonNode parent(List<String> path, String raw) throws PatchException {
        return get(path.subList(0, path.size() - 1), raw);
    }

    private void add(List<String> path, JsonNode value, String raw) throws PatchException {
        if (path.isEmpty()) {
            doc = value;
            return;
        }
        JsonNode parent = parent(path, raw);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(last, array.size(), raw), value);
            }
        } else {
            throw PatchException.unprocessable("cannot add " + raw + ": parent is not an object or array");
        }
    }

    private JsonNode remove(List<String> path, String raw) throws PatchException {
        if (path.isEmpty()) {
            JsonNode old = doc;
            doc = Json.NODES.nullNode();
            return old;
        }
        JsonNode parent = parent(path, raw);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            JsonNode old = object.remove(last);
            if (old == null) {
                throw PatchException.unprocessable("path " + raw + " does not exist");
            }
            return old;
        }
        if (parent instanceof ArrayNode array) {
            return array.remove(index(last, array.size() - 1, raw));
        }
        throw PatchException.unprocessable("path " + raw + " does not exist");
    }

    /** Parses an array index token, allowing 0..max; RFC 6901 forbids leading zeros and signs. */
    private static int index(String token, int max, String raw) throws PatchException {
        if (token.isEmpty() || !token.chars().allMatch(Character::isDigit) || (token.length() > 1 && token.charAt(0) == '0')) {
            throw PatchException.unprocessable("invalid array index \"" + token + "\" in " + raw);
        }
        int index;
        try {
            index = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw PatchException.unprocessable("array index " + token + " out of bounds in " + raw);
        }
        if (index > max) {
            throw PatchException.unprocessable("array index " + token + " out of bounds in " + raw);
        }
        return index;
    }
}
