package io.kube4j.apiserver.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of an API server for kubectl explain: legacy discovery and the OpenAPI documents, on
 * loopback. Records the paths it was asked for.
 */
final class StubApiServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ResourceRegistry registry;
    private final OpenApiDocuments documents;
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Objects served at their URL path; a PATCH to one is recorded and answered with the object. */
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final List<String> patches = new CopyOnWriteArrayList<>();

    StubApiServer(ResourceRegistry registry, OpenApiDocuments documents) throws IOException {
        this.registry = registry;
        this.documents = documents;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Writes a kubeconfig pointing at this server into {@code dir}. */
    Path kubeconfig(Path dir) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: stub, cluster: {server: "%s"}}]
                users: [{name: stub, user: {token: stub}}]
                contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
                current-context: stub
                """.formatted(url()));
        return file;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        if (exchange.getRequestMethod().equals("PATCH") && objects.containsKey(path)) {
            patches.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            send(exchange, 200, objects.get(path));
            return;
        }
        Optional<byte[]> body = objects.containsKey(path) ? Optional.of(objects.get(path)) : route(path);
        if (body.isEmpty()) {
            send(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, body.get());
        }
    }

    private Optional<byte[]> route(String path) throws IOException {
        if (path.equals("/openapi/v2")) {
            return Optional.of(documents.v2());
        }
        if (path.equals("/openapi/v3")) {
            return Optional.of(documents.v3Index());
        }
        if (path.startsWith("/openapi/v3/")) {
            return documents.v3(path);
        }
        if (path.equals("/api")) {
            return json(Map.of("kind", "APIVersions", "versions", List.of("v1")));
        }
        if (path.equals("/apis")) {
            ObjectNode list = MAPPER.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            registry.groupVersions().forEach((group, versions) -> {
                if (!group.isEmpty()) {
                    ObjectNode g = groups.addObject().put("name", group);
                    ArrayNode vs = g.putArray("versions");
                    versions.forEach(v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
                    g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.getFirst())
                            .put("version", versions.getFirst());
                }
            });
            return Optional.of(MAPPER.writeValueAsBytes(list));
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            return resourceList("", parts[1]);
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            return resourceList(parts[1], parts[2]);
        }
        return Optional.empty();
    }

    private Optional<byte[]> resourceList(String group, String version) throws IOException {
        List<ResourceType> types = registry.inGroupVersion(group, version);
        if (types.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode list = MAPPER.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            ArrayNode verbs = r.putArray("verbs");
            new ArrayList<>(t.verbs()).stream().sorted().forEach(verbs::add);
            ArrayNode shortNames = r.putArray("shortNames");
            t.shortNames().forEach(shortNames::add);
        }
        return Optional.of(MAPPER.writeValueAsBytes(list));
    }

    private static Optional<byte[]> json(Object value) throws IOException {
        return Optional.of(MAPPER.writeValueAsBytes(value));
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
