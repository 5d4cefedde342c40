package io.kube4j.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The OpenAPI documents of the registered resource types: Swagger 2.0 at {@code /openapi/v2}, and one
 * OpenAPI 3.0 document per group-version under {@code /openapi/v3}, each addressed with a content hash
 * as kube-apiserver does so that clients may cache them forever. Built once, on first use or by
 * {@link #warmUp()} (building takes about a second, which server start should not wait for);
 * immutable and thread-safe afterwards.
 */
public final class OpenApiDocuments {
    private static final String KUBE_VERSION = "v1.32.0";
    private static final String V3_PREFIX = "#/components/schemas/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml",
            "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");
    private static final List<String> PRODUCES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf");
    private static final List<String> WRITE_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation");
    private static final List<String> PATCH_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation", "force");
    private static final List<String> DELETE_PARAMS = List.of("dryRun", "gracePeriodSeconds", "orphanDependents",
            "propagationPolicy");
    private static final List<String> LIST_PARAMS = List.of("allowWatchBookmarks", "continue", "fieldSelector",
            "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents",
            "timeoutSeconds", "watch");

    private final ObjectMapper mapper = new ObjectMapper();
    private final ResourceRegistry registry;
    private final ReentrantLock buildLock = new ReentrantLock();
    private volatile Built built;

    /** The documents, once built. */
    private record Built(byte[] v2, Map<String, byte[]> v3, Map<String, String> v3Hashes, byte[] v3Index) {
    }

    public OpenApiDocuments(ResourceRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** Builds the documents now, if not yet done; the server calls it in the background at start. */
    public void warmUp() {
        built();
    }

    private Built built() {
        Built b = built;
        if (b != null) {
            return b;
        }
        buildLock.lock();
        try {
            if (built == null) {
                built = build();
            }
            return built;
        } finally {
            buildLock.unlock();
        }
    }

    private Built build() {
        Map<String, byte[]> v3 = new TreeMap<>();
        Map<String, String> v3Hashes = new TreeMap<>();
        SchemaGenerator schemas = new SchemaGenerator(KubeDescriptions.load());
        String status = schemas.add(Status.class);
        String deleteOptions = schemas.add(DeleteOptions.class);
        Map<String, Map<String, List<Operation>>> pathsByGroupVersion = new LinkedHashMap<>();
        for (ResourceType type : registry.all()) {
            String definition = schemas.add(type.javaType());
            schemas.setGroupVersionKind(definition, type.group(), type.version(), type.kind());
            String list = listDefinition(schemas, type).orElse(status);
            Map<String, List<Operation>> paths =
                    pathsByGroupVersion.computeIfAbsent(groupVersionPath(type), k -> new TreeMap<>());
            addOperations(paths, type, definition, list, status, deleteOptions);
        }

        Map<String, List<Operation>> allPaths = new TreeMap<>();
        pathsByGroupVersion.values().forEach(allPaths::putAll);
        byte[] v2 = serialize(swagger(allPaths, schemas.definitions()));

        ObjectNode index = NODES.objectNode();
        ObjectNode indexPaths = index.putObject("paths");
        for (Map.Entry<String, Map<String, List<Operation>>> e : pathsByGroupVersion.entrySet()) {
            byte[] document = serialize(openApi3(e.getValue(), schemas.definitions()));
            String hash = sha512(document);
            v3.put(e.getKey(), document);
            v3Hashes.put(e.getKey(), hash);
        }
        v3Hashes.forEach((gv, hash) ->
                indexPaths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash));
        return new Built(v2, Map.copyOf(v3), Map.copyOf(v3Hashes), serialize(index));
    }

    /** The Swagger 2.0 document served at {@code /openapi/v2} as JSON. */
    public byte[] v2() {
        return built().v2().clone();
    }

    /** The discovery document at {@code /openapi/v3}: each group-version path with its hashed URL. */
    public byte[] v3Index() {
        return built().v3Index().clone();
    }

    /**
     * The OpenAPI 3.0 document of one group-version.
     *
     * @param groupVersionPath {@code api/v1} or {@code apis/<group>/<version>}; a leading slash or
     *                         {@code /openapi/v3/} prefix is ignored
     * @return empty when no registered type is in that group-version
     */
    public Optional<byte[]> v3(String groupVersionPath) {
        requireNonNull(groupVersionPath, "groupVersionPath is null");
        return Optional.ofNullable(built().v3().get(normalize(groupVersionPath))).map(byte[]::clone);
    }

    /**
     * The content hash of one group-version document, as its {@code serverRelativeURL} carries it.
     *
     * @throws IllegalArgumentException when no registered type is in that group-version
     */
    public String v3Hash(String groupVersionPath) {
        requireNonNull(groupVersionPath, "groupVersionPath is null");
        String hash = built().v3Hashes().get(normalize(groupVersionPath));
        if (hash == null) {
            throw new IllegalArgumentException("no OpenAPI v3 document for " + groupVersionPath);
        }
        return hash;
    }

    /** The group-version paths that have a document, e.g. api/v1, apis/apps/v1. */
    public Set<String> v3GroupVersions() {
        return new TreeSet<>(built().v3().keySet());
    }

    private static String normalize(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        p = p.startsWith("openapi/v3/") ? p.substring("openapi/v3/".length()) : p;
        int query = p.indexOf('?');
        return query < 0 ? p : p.substring(0, query);
    }

    private static String groupVersionPath(ResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }

    private static Optional<String> listDefinition(SchemaGenerator schemas, ResourceType type) {
        try {
            Class<?> list = Class.forName(type.javaType().getName() + "List", false, type.javaType().getClassLoader());
            String definition = schemas.add(list);
            schemas.setGroupVersionKind(definition, type.group(), type.version(), type.listKind());
            return Optional.of(definition);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    // ---- operations

    private static void addOperations(Map<String, List<Operation>> paths, ResourceType type, String definition,
                                      String list, String status, String deleteOptions) {
        String root = "/" + groupVersionPath(type);
        String collection = type.namespaced() ? root + "/namespaces/{namespace}/" + type.plural() : root + "/" + type.plural();
        String item = collection + "/{name}";
        String scope = type.namespaced() ? "Namespaced" : "";
        String id = groupId(type.group()) + capitalize(type.version());
        Set<String> verbs = type.verbs();
        List<Operation> collectionOps = new ArrayList<>();
        List<Operation> itemOps = new ArrayList<>();
        if (verbs.contains("list")) {
            collectionOps.add(new Operation("get", "list", "list" + id + scope + type.kind(), type, LIST_PARAMS, "", list));
            if (type.namespaced()) {
                paths.computeIfAbsent(root + "/" + type.plural(), k -> new ArrayList<>()).add(new Operation("get", "list",
                        "list" + id + type.kind() + "ForAllNamespaces", type, LIST_PARAMS, "", list));
            }
        }
        if (verbs.contains("create")) {
            collectionOps.add(new Operation("post", "post", "create" + id + scope + type.kind(), type, WRITE_PARAMS,
                    definition, definition));
        }
        if (verbs.contains("deletecollection")) {
            List<String> params = new ArrayList<>(DELETE_PARAMS);
            params.addAll(LIST_PARAMS);
            collectionOps.add(new Operation("delete", "deletecollection", "deleteCollection" + id + scope + type.kind(),
                    type, params, deleteOptions, status));
        }
        if (verbs.contains("get")) {
            itemOps.add(new Operation("get", "get", "read" + id + scope + type.kind(), type, List.of(), "", definition));
        }
        if (verbs.contains("update")) {
            itemOps.add(new Operation("put", "put", "replace" + id + scope + type.kind(), type, WRITE_PARAMS,
                    definition, definition));
        }
        if (verbs.contains("patch")) {
            itemOps.add(new Operation("patch", "patch", "patch" + id + scope + type.kind(), type, PATCH_PARAMS,
                    SchemaGenerator.META + "Patch", definition));
        }
        if (verbs.contains("delete")) {
            itemOps.add(new Operation("delete", "delete", "delete" + id + scope + type.kind(), type, DELETE_PARAMS,
                    deleteOptions, status));
        }
        if (!collectionOps.isEmpty()) {
            paths.computeIfAbsent(collection, k -> new ArrayList<>()).addAll(collectionOps);
        }
        if (!itemOps.isEmpty()) {
            paths.computeIfAbsent(item, k -> new ArrayList<>()).addAll(itemOps);
        }
        if (type.subresources().contains("status")) {
            String suffix = scope + type.kind() + "Status";
            paths.computeIfAbsent(item + "/status", k -> new ArrayList<>()).addAll(List.of(
                    new Operation("get", "get", "read" + id + suffix, type, List.of(), "", definition),
                    new Operation("put", "put", "replace" + id + suffix, type, WRITE_PARAMS, definition, definition),
                    new Operation("patch", "patch", "patch" + id + suffix, type, PATCH_PARAMS,
                            SchemaGenerator.META + "Patch", definition)));
        }
    }

    /** kube's operation-id spelling of a group: "" → Core, rbac.authorization.k8s.io → RbacAuthorization. */
    private static String groupId(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        StringBuilder sb = new StringBuilder();
        for (String part : trimmed.split("\\.")) {
            sb.append(capitalize(part));
        }
        return sb.toString();
    }

    private static String tag(ResourceType type) {
        String id = groupId(type.group());
        return Character.toLowerCase(id.charAt(0)) + id.substring(1) + "_" + type.version();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static ObjectNode gvk(ResourceType type) {
        return NODES.objectNode().put("group", type.group()).put("kind", type.kind()).put("version", type.version());
    }

    private static List<String> pathParameters(String path) {
        List<String> names = new ArrayList<>();
        if (path.contains("{name}")) {
            names.add("name");
        }
        if (path.contains("{namespace}")) {
            names.add("namespace");
        }
        return names;
    }

    // ---- Swagger 2.0

    private static ObjectNode swagger(Map<String, List<Operation>> paths, Map<String, ObjectNode> definitions) {
        ObjectNode doc = NODES.objectNode();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", KUBE_VERSION);
        ObjectNode pathsNode = doc.putObject("paths");
        for (Map.Entry<String, List<Operation>> e : paths.entrySet()) {
            ObjectNode path = pathsNode.putObject(e.getKey());
            ArrayNode params = path.putArray("parameters");
            for (String name : pathParameters(e.getKey())) {
                params.addObject().put("uniqueItems", true).put("type", "string").put("description",
                        name.equals("name") ? "name of the object" : "object name and auth scope, such as for teams and projects")
                        .put("name", name).put("in", "path").put("required", true);
            }
            params.add(queryParameterV2("pretty"));
            for (Operation op : e.getValue()) {
                ObjectNode o = path.putObject(op.method());
                o.put("description", describe(op));
                ArrayNode consumes = o.putArray("consumes");
                (op.method().equals("patch") ? PATCH_TYPES : List.of("*/*")).forEach(consumes::add);
                ArrayNode produces = o.putArray("produces");
                PRODUCES.forEach(produces::add);
                o.putArray("schemes").add("https");
                o.putArray("tags").add(tag(op.type()));
                o.put("operationId", op.operationId());
                ArrayNode opParams = o.putArray("parameters");
                if (!op.body().isEmpty()) {
                    ObjectNode body = opParams.addObject().put("name", "body").put("in", "body")
                            .put("required", !op.method().equals("delete"));
                    body.putObject("schema").put("$ref", SchemaGenerator.REF_PREFIX + op.body());
                }
                for (String q : op.queryParams()) {
                    opParams.add(queryParameterV2(q));
                }
                ObjectNode responses = o.putObject("responses");
                responses.putObject("200").put("description", "OK").putObject("schema")
                        .put("$ref", SchemaGenerator.REF_PREFIX + op.response());
                if (op.method().equals("post") || op.method().equals("put") || op.method().equals("patch")) {
                    responses.putObject("201").put("description", "Created").putObject("schema")
                            .put("$ref", SchemaGenerator.REF_PREFIX + op.response());
                }
                responses.putObject("401").put("description", "Unauthorized");
                o.put("x-kubernetes-action", op.action());
                o.set("x-kubernetes-group-version-kind", gvk(op.type()));
            }
        }
        ObjectNode defs = doc.putObject("definitions");
        definitions.forEach((name, schema) -> defs.set(name, schema.deepCopy()));
        doc.putObject("securityDefinitions").putObject("BearerToken").put("description", "Bearer Token authentication")
                .put("type", "apiKey").put("name", "authorization").put("in", "header");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    private static ObjectNode queryParameterV2(String name) {
        Parameters.Parameter p = Parameters.QUERY.get(name);
        return NODES.objectNode().put("uniqueItems", true).put("type", p.type()).put("description", p.description())
                .put("name", name).put("in", "query");
    }

    private static String describe(Operation op) {
        String kind = op.type().kind();
        return switch (op.action()) {
            case "list" -> "list or watch objects of kind " + kind;
            case "post" -> "create a " + kind;
            case "deletecollection" -> "delete collection of " + kind;
            case "get" -> "read the specified " + kind;
            case "put" -> "replace the specified " + kind;
            case "patch" -> "partially update the specified " + kind;
            case "delete" -> "delete a " + kind;
            default -> op.action() + " " + kind;
        };
    }

    // ---- OpenAPI 3.0

    private static ObjectNode openApi3(Map<String, List<Operation>> paths, Map<String, ObjectNode> definitions) {
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", KUBE_VERSION);
        ObjectNode pathsNode = doc.putObject("paths");
        Deque<String> referenced = new ArrayDeque<>();
        for (Map.Entry<String, List<Operation>> e : paths.entrySet()) {
            ObjectNode path = pathsNode.putObject(e.getKey());
            ArrayNode params = path.putArray("parameters");
            for (String name : pathParameters(e.getKey())) {
                ObjectNode p = params.addObject().put("name", name).put("in", "path")
                        .put("description", name.equals("name") ? "name of the object"
                                : "object name and auth scope, such as for teams and projects")
                        .put("required", true);
                p.putObject("schema").put("type", "string").put("uniqueItems", true);
            }
            params.add(queryParameterV3("pretty"));
            for (Operation op : e.getValue()) {
                ObjectNode o = path.putObject(op.method());
                o.putArray("tags").add(tag(op.type()));
                o.put("description", describe(op));
                o.put("operationId", op.operationId());
                ArrayNode opParams = o.putArray("parameters");
                for (String q : op.queryParams()) {
                    opParams.add(queryParameterV3(q));
                }
                if (!op.body().isEmpty()) {
                    ObjectNode body = o.putObject("requestBody");
                    ObjectNode content = body.putObject("content");
                    for (String mediaType : op.method().equals("patch") ? PATCH_TYPES : List.of("*/*")) {
                        content.putObject(mediaType).putObject("schema").put("$ref", V3_PREFIX + op.body());
                    }
                    if (!op.method().equals("delete")) {
                        body.put("required", true);
                    }
                    referenced.add(op.body());
                }
                ObjectNode responses = o.putObject("responses");
                ObjectNode ok = responses.putObject("200").put("description", "OK").putObject("content");
                for (String mediaType : PRODUCES) {
                    ok.putObject(mediaType).putObject("schema").put("$ref", V3_PREFIX + op.response());
                }
                responses.putObject("401").put("description", "Unauthorized");
                referenced.add(op.response());
                o.put("x-kubernetes-action", op.action());
                o.set("x-kubernetes-group-version-kind", gvk(op.type()));
            }
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        Map<String, ObjectNode> reachable = new TreeMap<>();
        while (!referenced.isEmpty()) {
            String name = referenced.poll();
            if (reachable.containsKey(name)) {
                continue;
            }
            ObjectNode schema = definitions.get(name);
            if (schema == null) {
                throw new IllegalStateException("dangling reference to " + name);
            }
            reachable.put(name, primitiveV3(name, toV3(schema, referenced)));
        }
        reachable.forEach(schemas::set);
        components.putObject("securitySchemes").putObject("BearerToken").put("type", "apiKey")
                .put("description", "Bearer Token authentication").put("name", "authorization").put("in", "header");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    /**
     * Quantities and int-or-strings are written as alternatives in 3.0, as kube-apiserver does; kubectl
     * explain then names them (map[string]Quantity) instead of calling them strings.
     */
    private static ObjectNode primitiveV3(String name, ObjectNode schema) {
        List<String> alternatives = switch (name) {
            case "io.k8s.apimachinery.pkg.api.resource.Quantity" -> List.of("string", "number");
            case "io.k8s.apimachinery.pkg.util.intstr.IntOrString" -> List.of("integer", "string");
            default -> List.of();
        };
        if (alternatives.isEmpty()) {
            return schema;
        }
        schema.remove("type");
        ArrayNode oneOf = schema.putArray("oneOf");
        alternatives.forEach(type -> oneOf.addObject().put("type", type));
        return schema;
    }

    private static ObjectNode queryParameterV3(String name) {
        Parameters.Parameter p = Parameters.QUERY.get(name);
        ObjectNode node = NODES.objectNode().put("name", name).put("in", "query").put("description", p.description());
        node.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return node;
    }

    /**
     * Rewrites a Swagger 2.0 schema for OpenAPI 3.0: references move to components/schemas, and a reference
     * with siblings (a described field) becomes {@code allOf: [{$ref}]}, because 3.0 ignores siblings of $ref.
     */
    private static ObjectNode toV3(ObjectNode schema, Deque<String> referenced) {
        ObjectNode result = NODES.objectNode();
        JsonNode ref = schema.get("$ref");
        if (ref != null) {
            String name = ref.asText().substring(SchemaGenerator.REF_PREFIX.length());
            referenced.add(name);
            if (schema.size() == 1) {
                return result.put("$ref", V3_PREFIX + name);
            }
            result.putArray("allOf").addObject().put("$ref", V3_PREFIX + name);
        }
        schema.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "$ref" -> {
                }
                case "items", "additionalProperties" -> result.set(e.getKey(), e.getValue().isObject()
                        ? toV3((ObjectNode) e.getValue(), referenced) : e.getValue());
                case "properties" -> {
                    ObjectNode properties = result.putObject("properties");
                    e.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), toV3((ObjectNode) p.getValue(), referenced)));
                }
                default -> result.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return result;
    }

    // ---- bytes

    private byte[] serialize(JsonNode node) {
        try {
            return mapper.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an OpenAPI document", e);
        }
    }

    private static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
