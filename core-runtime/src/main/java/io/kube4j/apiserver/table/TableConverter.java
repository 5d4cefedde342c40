package io.kube4j.apiserver.table;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * Builds the {@code meta.k8s.io/v1} Table that {@code kubectl get} asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}. The server fills every column,
 * wide ones included; kubectl shows priority-1 columns only with {@code -o wide}.
 */
public final class TableConverter {
    /** {@code includeObject=None}: rows carry no object. */
    public static final String INCLUDE_NONE = "None";
    /** {@code includeObject=Metadata}, the default: rows carry a PartialObjectMetadata. */
    public static final String INCLUDE_METADATA = "Metadata";
    /** {@code includeObject=Object}: rows carry the whole object. */
    public static final String INCLUDE_OBJECT = "Object";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TableConverter() {
    }

    /**
     * A meta.k8s.io/v1 Table of {@code objects} of type {@code type}, with kube-apiserver's columnDefinitions
     * and rows {cells, object}.
     *
     * @param resourceVersion the list's resourceVersion, "" for none
     * @param continueToken   the list's continue token, "" for none
     * @param includeObject   None, Metadata (also used for "") or Object
     * @param now             the instant ages are measured at
     * @throws IllegalArgumentException on an unknown includeObject
     */
    public static ObjectNode toTable(ResourceType type, List<ObjectNode> objects, String resourceVersion,
                                     String continueToken, String includeObject, Instant now) {
        requireNonNull(type, "type is null");
        requireNonNull(objects, "objects is null");
        requireNonNull(resourceVersion, "resourceVersion is null");
        requireNonNull(continueToken, "continueToken is null");
        requireNonNull(includeObject, "includeObject is null");
        requireNonNull(now, "now is null");
        String include = includeObject.isEmpty() ? INCLUDE_METADATA : includeObject;
        if (!include.equals(INCLUDE_NONE) && !include.equals(INCLUDE_METADATA) && !include.equals(INCLUDE_OBJECT)) {
            throw new IllegalArgumentException("includeObject must be None, Metadata or Object, not " + includeObject);
        }
        Printers.Printer printer = Printers.forGroupKind(type.group(), type.kind());

        ObjectNode table = NODES.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (!resourceVersion.isEmpty()) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (!continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        for (Column c : printer.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : printer.row().cells(object, now)) {
                cells.add(cellNode(cell));
            }
            switch (include) {
                case INCLUDE_METADATA -> row.set("object", partialMetadata(object));
                case INCLUDE_OBJECT -> row.set("object", object.deepCopy());
                default -> {
                }
            }
        }
        return table;
    }

    private static JsonNode cellNode(Object cell) {
        return switch (cell) {
            case String s -> NODES.textNode(s);
            case Long l -> NODES.numberNode(l);
            case Integer i -> NODES.numberNode(i);
            case Boolean b -> NODES.booleanNode(b);
            default -> NODES.textNode(String.valueOf(cell));
        };
    }

    private static ObjectNode partialMetadata(ObjectNode object) {
        ObjectNode partial = NODES.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        JsonNode metadata = object.get("metadata");
        partial.set("metadata", metadata == null ? NODES.objectNode() : metadata.deepCopy());
        return partial;
    }
}
