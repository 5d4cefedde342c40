package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** One {@code metadata.managedFields} entry, with its FieldsV1 read into a path set. */
final class ManagedEntry {
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    final String manager;
    final String operation;
    String apiVersion;
    String time;
    final String subresource;
    Set<List<String>> fields;

    ManagedEntry(String manager, String operation, String apiVersion, String time, String subresource, Set<List<String>> fields) {
        this.manager = manager;
        this.operation = operation;
        this.apiVersion = apiVersion;
        this.time = time;
        this.subresource = subresource;
        this.fields = new HashSet<>(fields);
    }

    /**
     * Whether this entry is the manager identified by name and operation; appliers are one manager
     * whatever version they applied with, updaters one per version, as in kube.
     */
    boolean is(String name, String op, String version, String sub) {
        return manager.equals(name) && operation.equals(op) && subresource.equals(sub)
                && (op.equals(APPLY) || Objects.equals(apiVersion, version));
    }

    /** The manager as kube names it in conflict messages. */
    String describe() {
        String name = Json.compact(Json.NODES.textNode(manager));
        if (!subresource.isEmpty()) {
            name += " with subresource " + Json.compact(Json.NODES.textNode(subresource));
        }
        return operation.equals(UPDATE) ? name + " using " + apiVersion : name;
    }

    static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static List<ManagedEntry> read(JsonNode object) {
        List<ManagedEntry> entries = new ArrayList<>();
        JsonNode list = object.path("metadata").path("managedFields");
        for (JsonNode e : list) {
            entries.add(new ManagedEntry(
                    e.path("manager").asText(""),
                    e.path("operation").asText(""),
                    e.path("apiVersion").asText(""),
                    e.path("time").asText(null),
                    e.path("subresource").asText(""),
                    FieldPaths.fromFieldsV1(e.get("fieldsV1"))));
        }
        return entries;
    }

    /**
     * Stores one manager owning {@code fieldsV1} as {@code object.metadata.managedFields}, or none
     * when it owns nothing: {@link #write} for a single entry whose FieldsV1 is already built.
     */
    static void writeOnly(ObjectNode object, String manager, String operation, String apiVersion, String time,
                          String subresource, ObjectNode fieldsV1) {
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        if (fieldsV1.isEmpty()) {
            metadata.remove("managedFields");
            return;
        }
        ObjectNode json = metadata.putArray("managedFields").addObject();
        json.put("manager", manager);
        json.put("operation", operation);
        json.put("apiVersion", apiVersion);
        if (time != null) {
            json.put("time", time);
        }
        json.put("fieldsType", "FieldsV1");
        json.set("fieldsV1", fieldsV1);
        if (!subresource.isEmpty()) {
            json.put("subresource", subresource);
        }
    }

    /** Stores the entries that still own something in {@code object.metadata.managedFields}. */
    static void write(ObjectNode object, List<ManagedEntry> entries) {
        ArrayNode list = Json.NODES.arrayNode();
        // kube's order: appliers before updaters, then oldest first, then by name.
        List<ManagedEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((ManagedEntry e) -> e.operation)
                .thenComparing(e -> e.time == null ? "" : e.time)
                .thenComparing(e -> e.manager)
                .thenComparing(e -> e.apiVersion)
                .thenComparing(e -> e.subresource));
        for (ManagedEntry e : sorted) {
            if (e.fields.isEmpty()) {
                continue;
            }
            ObjectNode json = list.addObject();
            json.put("manager", e.manager);
            json.put("operation", e.operation);
            json.put("apiVersion", e.apiVersion);
            if (e.time != null) {
                json.put("time", e.time);
            }
            json.put("fieldsType", "FieldsV1");
            json.set("fieldsV1", FieldPaths.toFieldsV1(e.fields));
            if (!e.subresource.isEmpty()) {
                json.put("subresource", e.subresource);
            }
        }
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        if (list.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", list);
        }
    }
}
