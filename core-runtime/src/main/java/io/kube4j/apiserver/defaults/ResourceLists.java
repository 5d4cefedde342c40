package io.kube4j.apiserver.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.apiserver.validation.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * Resource lists ({@code {cpu: 500m, memory: 1Gi}}) as kube-apiserver stores them: every quantity rounded up to a
 * thousandth and written in canonical form. Values that are not quantities are left for validation to reject.
 */
final class ResourceLists {
    private ResourceLists() {
    }

    static void canonicalize(JsonNode list) {
        if (!(list instanceof ObjectNode values)) {
            return;
        }
        List<String> names = new ArrayList<>();
        values.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = values.get(name);
            if (value.isTextual() || value.isNumber()) {
                Quantity.canonical(value.asText()).ifPresent(text -> values.put(name, text));
            }
        }
    }

    static void canonicalize(JsonNode parent, String... fields) {
        if (parent instanceof ObjectNode object) {
            for (String field : fields) {
                canonicalize(object.get(field));
            }
        }
    }
}
