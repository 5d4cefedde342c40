package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Server-side apply and field ownership ({@code metadata.managedFields}, FieldsV1), with kube-apiserver's
 * semantics: each manager owns the fields it set; an apply that changes a field another manager owns
 * conflicts unless forced; an apply drops the fields its manager applied before and no longer applies,
 * unless someone else owns them; any other write takes ownership of what it changed. Associative lists
 * (containers by name, ...) are owned per element, other lists as a whole. All methods are thread safe
 * and leave their inputs untouched.
 */
public final class ServerSideApply {
    /** The manager kube charges with the fields of an object that had no managedFields yet. */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private ServerSideApply() {
    }

    /**
     * Applies the apply configuration {@code applied} (an {@code application/apply-patch+yaml} body parsed to
     * JSON) for {@code fieldManager} onto {@code live}, or creates the object when {@code live} is empty.
     * The result carries updated {@code metadata.managedFields}, with this manager's {@code Apply} entry
     * stamped with {@code now} and the applied apiVersion.
     *
     * @throws ApplyConflictException when {@code force} is false and the apply would change fields other
     *         managers own (the API server answers 409)
     * @throws PatchException 400 when {@code applied} lacks apiVersion or kind, or sets managedFields, or
     *         {@code fieldManager} is empty; 422 when an associative list element lacks its key or two
     *         elements share one
     */
    public static ObjectNode apply(Optional<ObjectNode> live, ObjectNode applied, String fieldManager, boolean force, Instant now)
            throws ApplyConflictException, PatchException {
        return apply(live, applied, fieldManager, "", force, now);
    }

    /**
     * {@link #apply(Optional, ObjectNode, String, boolean, Instant)} through a subresource such as
     * {@code status} ({@code ""} for the main resource): the manager's entry records the subresource, and
     * an applier through one subresource is a different manager from the same name through another.
     */
    public static ObjectNode apply(Optional<ObjectNode> live, ObjectNode applied, String fieldManager, String subresource, boolean force,
            Instant now) throws ApplyConflictException, PatchException {
        requireNonNull(subresource, "subresource is null");
        requireNonNull(live, "live is null");
        requireNonNull(applied, "applied is null");
        requireNonNull(fieldManager, "fieldManager is null");
        requireNonNull(now, "now is null");
        String apiVersion = applied.path("apiVersion").asText("");
        String kind = applied.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw PatchException.badRequest("apply configuration must set apiVersion and kind");
        }
        if (fieldManager.isEmpty()) {
            throw PatchException.badRequest("fieldManager is required for apply requests");
        }
        JsonNode appliedManagedFields = applied.path("metadata").get("managedFields");
        // An empty list is tolerated: Java clients serialize an unset list that way.
        if (appliedManagedFields != null && !appliedManagedFields.isNull() && !appliedManagedFields.isEmpty()) {
            throw PatchException.badRequest("metadata.managedFields must be nil");
        }
        Schema schema = Schema.forKind(apiVersion, kind);
        ObjectNode config = withoutNulls(applied);
        FieldPaths.validate(config, schema, new ArrayList<>());
        ObjectNode current = live.map(ObjectNode::deepCopy).orElseGet(Json.NODES::objectNode);
        List<ManagedEntry> entries = live.map(l -> managers(l, schema, apiVersion, now)).orElseGet(ArrayList::new);

        Set<List<String>> appliedSet = FieldPaths.of(config, schema);
        ManagedEntry self = entries.stream().filter(e -> e.is(fieldManager, ManagedEntry.APPLY, apiVersion, subresource)).findFirst().orElse(null);

        Map<ManagedEntry, List<List<String>>> conflicts = new LinkedHashMap<>();
        for (List<String> path : FieldPaths.leaves(appliedSet)) {
            JsonNode before = FieldPaths.get(current, path, schema);
            JsonNode after = FieldPaths.get(config, path, schema);
            if (before != null && after != null && Json.equal(before, after)) {
                continue;
            }
            for (ManagedEntry other : entries) {
                if (other != self && other.fields.contains(path)) {
                    conflicts.computeIfAbsent(other, k -> new ArrayList<>()).add(path);
                }
            }
        }
        if (!conflicts.isEmpty()) {
            if (!force) {
                throw conflict(conflicts);
            }
            conflicts.forEach((owner, paths) -> paths.forEach(owner.fields::remove));
        }

        ObjectNode merged = (ObjectNode) merge(current, config, schema);

        if (self != null) {
            Set<List<String>> dropped = new HashSet<>(self.fields);
            dropped.removeAll(appliedSet);
            Set<List<String>> ownedByOthers = new HashSet<>();
            entries.stream().filter(e -> e != self).forEach(e -> ownedByOthers.addAll(e.fields));
            // Shallowest first: a dropped list element goes as a whole, and the fields inside it are then gone
            // already; removing them first would strip the key that finds the element.
            List<List<String>> order = new ArrayList<>(dropped);
            order.sort(Comparator.comparingInt(List::size));
            for (List<String> path : order) {
                if (!FieldPaths.coversOrBelow(ownedByOthers, path) && !FieldPaths.coversOrBelow(appliedSet, path)
                        && !FieldPaths.isKeyField(path)) {
                    FieldPaths.remove(merged, path, schema);
                    FieldPaths.pruneEmpty(merged, path.subList(0, path.size() - 1), schema);
                }
            }
            // A no-op apply must store nothing new, or every re-apply would bump the resourceVersion.
            boolean unchanged = self.fields.equals(appliedSet) && self.apiVersion.equals(apiVersion) && conflicts.isEmpty()
                    && sameContent(merged, live.orElseThrow());
            if (!unchanged) {
                self.fields = appliedSet;
                self.apiVersion = apiVersion;
                self.time = ManagedEntry.timestamp(now);
            }
        } else {
            entries.add(new ManagedEntry(fieldManager, ManagedEntry.APPLY, apiVersion, ManagedEntry.timestamp(now), subresource, appliedSet));
        }
        ManagedEntry.write(merged, entries);
        return merged;
    }

    /**
     * Records a create, update or patch by {@code fieldManager} (an {@code Update} entry for the apiVersion
     * of {@code updated}): the manager takes the fields it added or changed from every other manager, and
     * fields it removed are owned by no one any more. Managed fields that the request itself changed
     * replace the stored ones, as kube lets clients reset them ({@code [{}]} clears them; an empty list is
     * taken as not sent). Returns the object to store.
     */
    public static ObjectNode trackUpdate(Optional<ObjectNode> old, ObjectNode updated, String fieldManager, Instant now) {
        return trackUpdate(old, updated, fieldManager, "", now);
    }

    /**
     * {@link #trackUpdate(Optional, ObjectNode, String, Instant)} for a write through a subresource such as
     * {@code status} ({@code ""} for the main resource), recorded in the entry's {@code subresource}.
     */
    public static ObjectNode trackUpdate(Optional<ObjectNode> old, ObjectNode updated, String fieldManager, String subresource, Instant now) {
        requireNonNull(subresource, "subresource is null");
        requireNonNull(old, "old is null");
        requireNonNull(updated, "updated is null");
        requireNonNull(fieldManager, "fieldManager is null");
        requireNonNull(now, "now is null");
        String apiVersion = updated.path("apiVersion").asText("");
        Schema schema = Schema.forKind(apiVersion, updated.path("kind").asText(""));
        ObjectNode result = updated.deepCopy();

        JsonNode requested = updated.path("metadata").get("managedFields");
        JsonNode stored = old.map(o -> o.path("metadata").get("managedFields")).orElse(null);
        List<ManagedEntry> entries;
        // As in kube, an empty list does not reset (clients unaware of the field send it), [{}] does.
        if (requested != null && requested.isArray() && !requested.isEmpty() && (stored == null || !Json.equal(requested, stored))) {
            entries = ManagedEntry.read(updated);
        } else {
            entries = old.map(ManagedEntry::read).orElseGet(ArrayList::new);
        }
        if (old.isEmpty() && entries.isEmpty()) {
            // A create with no managers yet: the writer owns all it set, written straight from one walk.
            ManagedEntry.writeOnly(result, fieldManager, ManagedEntry.UPDATE, apiVersion, ManagedEntry.timestamp(now),
                    subresource, FieldPaths.fieldsV1Of(updated, schema));
            return result;
        }

        Set<List<String>> newSet = FieldPaths.of(updated, schema);
        Set<List<String>> changed = new HashSet<>();
        Set<List<String>> removed = new HashSet<>();
        if (old.isEmpty()) {
            changed.addAll(newSet);
        } else {
            ObjectNode before = old.get();
            Set<List<String>> newLeaves = FieldPaths.leaves(newSet);
            FieldPaths.Lookup lookup = new FieldPaths.Lookup(schema);
            for (List<String> path : newSet) {
                JsonNode was = lookup.get(before, path);
                if (was == null || (newLeaves.contains(path) && !Json.equal(was, lookup.get(updated, path)))) {
                    changed.add(path);
                }
            }
            for (List<String> path : FieldPaths.of(before, schema)) {
                if (lookup.get(updated, path) == null) {
                    removed.add(path);
                }
            }
        }

        ManagedEntry self = entries.stream().filter(e -> e.is(fieldManager, ManagedEntry.UPDATE, apiVersion, subresource)).findFirst().orElse(null);
        for (ManagedEntry e : entries) {
            if (e != self) {
                e.fields.removeAll(changed);
            }
            e.fields.removeAll(removed);
        }
        if (self == null && !changed.isEmpty()) {
            entries.add(new ManagedEntry(fieldManager, ManagedEntry.UPDATE, apiVersion, ManagedEntry.timestamp(now), subresource, changed));
        } else if (self != null && !changed.isEmpty()) {
            self.fields.addAll(changed);
            self.time = ManagedEntry.timestamp(now);
        }
        ManagedEntry.write(result, entries);
        return result;
    }

    /** The live object's managers; an object written before fields were tracked is charged to one. */
    private static List<ManagedEntry> managers(ObjectNode live, Schema schema, String apiVersion, Instant now) {
        List<ManagedEntry> entries = ManagedEntry.read(live);
        if (entries.isEmpty()) {
            Set<List<String>> all = FieldPaths.of(live, schema);
            if (!all.isEmpty()) {
                String version = live.path("apiVersion").asText(apiVersion);
                entries.add(new ManagedEntry(BEFORE_FIRST_APPLY, ManagedEntry.UPDATE, version, ManagedEntry.timestamp(now), "", all));
            }
        }
        return entries;
    }

    private static ApplyConflictException conflict(Map<ManagedEntry, List<List<String>>> byOwner) {
        List<ApplyConflictException.Conflict> conflicts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<ManagedEntry> owners = new ArrayList<>(byOwner.keySet());
        owners.sort(Comparator.comparing(ManagedEntry::describe));
        for (ManagedEntry owner : owners) {
            List<String> fields = byOwner.get(owner).stream().map(FieldPaths::format).sorted().toList();
            lines.add("conflicts with " + owner.describe() + ":");
            for (String field : fields) {
                conflicts.add(new ApplyConflictException.Conflict(owner.describe(), field));
                lines.add("- " + field);
            }
        }
        String message;
        if (conflicts.size() == 1) {
            var c = conflicts.get(0);
            message = "Apply failed with 1 conflict: conflict with " + c.manager() + ": " + c.field();
        } else {
            message = "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
        }
        return new ApplyConflictException(message, conflicts);
    }

    /** Apply merges like a strategic merge without directives: associative lists by key, sets by value. */
    private static JsonNode merge(JsonNode live, JsonNode applied, Schema schema) {
        if (applied instanceof ObjectNode appliedObject) {
            if (!(live instanceof ObjectNode liveObject) || schema.atomicStruct()) {
                return applied.deepCopy();
            }
            for (Map.Entry<String, JsonNode> e : appliedObject.properties()) {
                liveObject.set(e.getKey(), merge(liveObject.get(e.getKey()), e.getValue(), schema.field(e.getKey())));
            }
            return liveObject;
        }
        if (applied instanceof ArrayNode appliedArray && live instanceof ArrayNode liveArray && schema.shape() == Schema.Shape.LIST) {
            List<String> appliedKeys = FieldPaths.elementKeys(appliedArray, schema);
            List<String> liveKeys = FieldPaths.elementKeys(liveArray, schema);
            if (appliedKeys != null && liveKeys != null) {
                return mergeList(liveArray, liveKeys, appliedArray, appliedKeys, schema);
            }
        }
        return applied.deepCopy();
    }

    /**
     * Merges a granular list keeping both sides' relative order: elements only the live object has stay
     * where they were, applied elements come in the applied order, new ones where the configuration puts them.
     */
    private static ArrayNode mergeList(ArrayNode live, List<String> liveKeys, ArrayNode applied, List<String> appliedKeys, Schema schema) {
        Deque<String> shared = new ArrayDeque<>();
        for (String key : appliedKeys) {
            if (liveKeys.contains(key)) {
                shared.add(key);
            }
        }
        ArrayNode out = Json.NODES.arrayNode();
        int l = 0;
        int r = 0;
        while (l < liveKeys.size() || r < appliedKeys.size()) {
            if (l < liveKeys.size() && r < appliedKeys.size()) {
                String key = liveKeys.get(l);
                if (key.equals(appliedKeys.get(r))) {
                    out.add(mergeElement(live.get(l), applied.get(r), schema));
                    shared.remove(key);
                    l++;
                    r++;
                    continue;
                }
                if (appliedKeys.contains(key) && !key.equals(shared.peek())) {
                    // Applied elsewhere: it is emitted when the applied order reaches it.
                    l++;
                    continue;
                }
            }
            if (l < liveKeys.size() && !appliedKeys.contains(liveKeys.get(l))) {
                out.add(live.get(l));
                l++;
                continue;
            }
            if (r < appliedKeys.size()) {
                String key = appliedKeys.get(r);
                int at = liveKeys.indexOf(key);
                out.add(at < 0 ? applied.get(r).deepCopy() : mergeElement(live.get(at), applied.get(r), schema));
                shared.remove(key);
                r++;
            } else {
                l++;
            }
        }
        return out;
    }

    private static JsonNode mergeElement(JsonNode live, JsonNode applied, Schema listSchema) {
        return listSchema.list().associative() ? merge(live, applied, listSchema.element()) : live;
    }

    private static boolean sameContent(ObjectNode a, ObjectNode b) {
        ObjectNode x = a.deepCopy();
        ObjectNode y = b.deepCopy();
        if (x.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        if (y.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return Json.equal(x, y);
    }

    private static ObjectNode withoutNulls(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        stripNulls(copy);
        return copy;
    }

    private static void stripNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getValue().isNull());
            object.forEach(ServerSideApply::stripNulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(ServerSideApply::stripNulls);
        }
    }
}
