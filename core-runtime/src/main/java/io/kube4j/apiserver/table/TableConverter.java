package io.kube4j.apiserver.table;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import java.time.Instant;
import java.util.List;

/** STUB until the table work lands: NAME and the object only. */
public final class TableConverter {
    private TableConverter() {
    }

    public static ObjectNode toTable(ResourceType type, List<ObjectNode> objects, String resourceVersion,
                                     String continueToken, String includeObject, Instant now) {
        ObjectNode t = JsonNodeFactory.instance.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        t.putObject("metadata").put("resourceVersion", resourceVersion).put("continue", continueToken);
        t.putArray("columnDefinitions").addObject().put("name", "Name").put("type", "string").put("format", "name")
                .put("description", "").put("priority", 0);
        var rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            row.putArray("cells").add(o.path("metadata").path("name").asText());
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.path("metadata").deepCopy());
        }
        return t;
    }
}
