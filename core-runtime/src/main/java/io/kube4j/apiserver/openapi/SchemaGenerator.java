package io.kube4j.apiserver.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Swagger 2.0 definitions of fabric8 model classes and everything they reach, named as kube-apiserver
 * names them ({@code io.k8s.api.core.v1.Pod}). Structure (properties, types) comes from the classes'
 * Jackson properties; descriptions, required fields and strategic-merge keys from {@link KubeDescriptions}
 * and {@link PatchKeys}. References are {@code #/definitions/<name>}.
 */
final class SchemaGenerator {
    static final String REF_PREFIX = "#/definitions/";
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
    private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
            "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "Status", "StatusDetails",
            "StatusCause", "DeleteOptions", "Preconditions", "Condition", "WatchEvent", "APIResource",
            "APIResourceList", "APIGroup", "APIGroupList", "APIVersions", "GroupVersionForDiscovery",
            "ServerAddressByClientCIDR", "Patch", "RootPaths", "Time", "MicroTime", "Duration", "TypeMeta");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper = new ObjectMapper();
    private final KubeDescriptions descriptions;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();
    private final Deque<Class<?>> pending = new ArrayDeque<>();

    SchemaGenerator(KubeDescriptions descriptions) {
        this.descriptions = descriptions;
        addPrimitive(META + "Time", "string", "date-time");
        addPrimitive(META + "MicroTime", "string", "date-time");
        addPrimitive(META + "FieldsV1", "object", "");
        addPrimitive(META + "Patch", "object", "");
        addPrimitive("io.k8s.apimachinery.pkg.util.intstr.IntOrString", "string", "int-or-string");
        addPrimitive("io.k8s.apimachinery.pkg.api.resource.Quantity", "string", "");
    }

    /** The kube definition name of a fabric8 model class. */
    static String definitionName(Class<?> type) {
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (pkg.equals(FABRIC8)) {
            return switch (simple) {
                case "IntOrString" -> "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
                case "Quantity" -> "io.k8s.apimachinery.pkg.api.resource.Quantity";
                default -> (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
            };
        }
        if (!pkg.startsWith(FABRIC8 + ".")) {
            throw new IllegalArgumentException("not a fabric8 model class: " + type.getName());
        }
        String suffix = pkg.substring(FABRIC8.length() + 1);
        int lastDot = suffix.lastIndexOf('.');
        String last = suffix.substring(lastDot + 1);
        String groupAndVersion = VERSION.matcher(last).matches() ? suffix : suffix + ".v1";
        return "io.k8s.api." + groupAndVersion + "." + simple;
    }

    /** Adds the definition of {@code type} and of every class it reaches; returns its name. */
    String add(Class<?> type) {
        String name = definitionName(type);
        if (!definitions.containsKey(name)) {
            pending.add(type);
            drain();
        }
        return name;
    }

    /** Marks a definition as the schema of a kind, as kube-apiserver does for kubectl explain. */
    void setGroupVersionKind(String definition, String group, String version, String kind) {
        ArrayNode gvks = definitions.get(definition).putArray("x-kubernetes-group-version-kind");
        gvks.addObject().put("group", group).put("kind", kind).put("version", version);
    }

    Map<String, ObjectNode> definitions() {
        return definitions;
    }

    private void addPrimitive(String name, String type, String format) {
        ObjectNode schema = NODES.objectNode();
        String description = descriptions.definition(name).path("d").asText("");
        if (!description.isEmpty()) {
            schema.put("description", description);
        }
        if (!format.isEmpty()) {
            schema.put("format", format);
        }
        schema.put("type", type);
        definitions.put(name, schema);
    }

    private void drain() {
        while (!pending.isEmpty()) {
            Class<?> type = pending.poll();
            String name = definitionName(type);
            if (definitions.containsKey(name)) {
                continue;
            }
            ObjectNode schema = NODES.objectNode();
            definitions.put(name, schema);
            fill(schema, type, descriptions.definition(name));
        }
    }

    private void fill(ObjectNode schema, Class<?> type, JsonNode known) {
        if (known.has("d")) {
            schema.put("description", known.get("d").asText());
        }
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        ObjectNode properties = NODES.objectNode();
        Map<String, BeanPropertyDefinition> sorted = new TreeMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.couldSerialize()) {
                sorted.put(p.getName(), p);
            }
        }
        String definition = definitionName(type);
        for (BeanPropertyDefinition p : sorted.values()) {
            JsonNode knownProperty = known.path("p").path(p.getName());
            ObjectNode property = propertySchema(p.getPrimaryType(), knownProperty);
            if (knownProperty.has("d")) {
                property.put("description", knownProperty.get("d").asText());
            }
            String mergeKey = knownProperty.path("k").asText(PatchKeys.mergeKey(definition, p.getName()));
            String strategy = knownProperty.path("s").asText(PatchKeys.strategy(definition, p.getName()));
            if (!mergeKey.isEmpty()) {
                property.put("x-kubernetes-patch-merge-key", mergeKey);
            }
            if (!strategy.isEmpty()) {
                property.put("x-kubernetes-patch-strategy", strategy);
            }
            properties.set(p.getName(), property);
        }
        ArrayNode required = NODES.arrayNode();
        for (JsonNode r : known.path("r")) {
            if (sorted.containsKey(r.asText())) {
                required.add(r.asText());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.set("properties", properties);
        schema.put("type", "object");
    }

    private ObjectNode propertySchema(JavaType type, JsonNode known) {
        String time = known.path("t").asText("");
        if (!time.isEmpty() && type.getRawClass() == String.class) {
            return ref(META + (time.equals("microtime") ? "MicroTime" : "Time"));
        }
        return schemaOf(type);
    }

    private ObjectNode schemaOf(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            ObjectNode array = NODES.objectNode().put("type", "array");
            array.set("items", schemaOf(type.getContentType()));
            return array;
        }
        if (type.isMapLikeType()) {
            ObjectNode map = NODES.objectNode().put("type", "object");
            map.set("additionalProperties", schemaOf(type.getContentType()));
            return map;
        }
        if (raw == String.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (raw == Integer.class || raw == int.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int32");
        }
        if (raw == Long.class || raw == long.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int64");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            return NODES.objectNode().put("type", "number").put("format", "double");
        }
        if (raw.getPackageName().startsWith(FABRIC8) && !raw.isInterface()
                && !java.lang.reflect.Modifier.isAbstract(raw.getModifiers())) {
            String name = definitionName(raw);
            if (!definitions.containsKey(name)) {
                pending.add(raw);
            }
            return ref(name);
        }
        return NODES.objectNode().put("type", "object");
    }

    private static ObjectNode ref(String name) {
        return NODES.objectNode().put("$ref", REF_PREFIX + name);
    }
}
