package io.kube4j.apiserver.schema;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and removes the fields of an object that its Kubernetes type does not have, the way
 * kube-apiserver's typed decoding drops them; with {@code fieldValidation=Strict} the caller turns
 * them into a 400, with {@code Warn} into warnings. The type structure is read once per class
 * from the fabric8 model's Jackson properties.
 */
public final class UnknownFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private UnknownFields() {
    }

    /**
     * Removes every field of {@code object} unknown to {@code javaType} and returns their paths
     * ({@code spec.foo}, {@code spec.containers[0].bar}), in document order.
     */
    public static List<String> prune(Class<?> javaType, ObjectNode object) {
        List<String> out = new ArrayList<>();
        walk(MAPPER.constructType(javaType), object, "", out);
        return out;
    }

    private static void walk(JavaType type, JsonNode node, String path, List<String> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node instanceof ArrayNode arr) {
                for (int i = 0; i < arr.size(); i++) {
                    walk(type.getContentType(), arr.get(i), path + "[" + i + "]", out);
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node instanceof ObjectNode obj) {
                obj.fields().forEachRemaining(e -> walk(type.getContentType(), e.getValue(),
                        path + "[" + e.getKey() + "]", out));
            }
            return;
        }
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        Map<String, JavaType> props = properties(type);
        if (props == null) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String fieldPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JavaType propType = props.get(e.getKey());
            if (propType == null) {
                out.add(fieldPath);
                it.remove();
            } else {
                walk(propType, e.getValue(), fieldPath, out);
            }
        }
    }

    /** The Jackson properties of a model class; null for types to leave alone (scalars, opaque maps, JSON). */
    private static Map<String, JavaType> properties(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (!raw.getName().startsWith("io.fabric8.kubernetes.api.model") || raw.isEnum()
                || raw.isAnnotationPresent(JsonDeserialize.class) && raw.getAnnotation(JsonDeserialize.class).using()
                != com.fasterxml.jackson.databind.JsonDeserializer.None.class) {
            return null;
        }
        return PROPERTIES.computeIfAbsent(raw, c -> {
            DeserializationConfig config = MAPPER.getDeserializationConfig();
            BeanDescription bd = config.introspect(type);
            Map<String, JavaType> m = new HashMap<>();
            for (BeanPropertyDefinition p : bd.findProperties()) {
                if (p.couldDeserialize() || p.hasField() || p.hasGetter()) {
                    m.put(p.getName(), p.getPrimaryType());
                }
            }
            // Classes that are only a bag of additionalProperties (FieldsV1, JSON schemas) are opaque.
            return m.isEmpty() ? null : m;
        });
    }
}
