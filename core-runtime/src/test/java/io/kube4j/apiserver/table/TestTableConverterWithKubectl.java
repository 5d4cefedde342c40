package io.kube4j.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl prints our Tables: columns, cells, and wide columns only with -o wide. */
class TestTableConverterWithKubectl {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();
    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": "%s"},
             "spec": {"nodeName": "node-1", "containers": [{"name": "a", "image": "nginx"}]},
             "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.5"}],
               "containerStatuses": [{"name": "a", "ready": true, "restartCount": 0, "state": {"running": {}}}]}}
            """;

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final List<String> accepts = new CopyOnWriteArrayList<>();

    @Test
    void kubectlGetPrintsServerColumns(@TempDir Path dir) throws Exception {
        assumeThat(Files.isExecutable(KUBECTL)).as("kubectl installed").isTrue();
        ObjectNode pod = (ObjectNode) MAPPER.readTree(POD.formatted(NOW.minusSeconds(3 * 60 + 2)));
        ResourceType pods = REGISTRY.byResource("", "v1", "pods").orElseThrow();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, pods, pod));
        server.start();
        try {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: stub, user: {token: stub}}]
                    contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
                    current-context: stub
                    """.formatted(server.getAddress().getPort()));

            List<String> plain = kubectl(dir, kubeconfig, "get", "pods").lines().toList();
            assertThat(plain.getFirst().split("\\s+")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
            assertThat(plain.get(1).split("\\s+")).containsExactly("web-1", "1/1", "Running", "0", "3m2s");
            assertThat(accepts).anyMatch(a -> a.contains("as=Table;v=v1;g=meta.k8s.io"));

            List<String> wide = kubectl(dir, kubeconfig, "get", "pods", "-o", "wide").lines().toList();
            assertThat(wide.getFirst()).contains("IP", "NODE", "NOMINATED NODE", "READINESS GATES");
            assertThat(wide.get(1)).contains("10.0.0.5", "node-1", "<none>");
        } finally {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange, ResourceType pods, ObjectNode pod) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Object body = switch (path) {
            case "/api" -> Map.of("kind", "APIVersions", "versions", List.of("v1"));
            case "/apis" -> Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of());
            case "/api/v1" -> Map.of("kind", "APIResourceList", "apiVersion", "v1", "groupVersion", "v1",
                    "resources", List.of(Map.of("name", "pods", "singularName", "pod", "namespaced", true, "kind", "Pod",
                            "verbs", List.of("get", "list"), "shortNames", List.of("po"))));
            case "/api/v1/namespaces/default/pods" -> {
                accepts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
                yield TableConverter.toTable(pods, List.of(pod), "12", "", "", NOW);
            }
            default -> null;
        };
        byte[] bytes = body == null ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":404}".getBytes(StandardCharsets.UTF_8)
                : MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String kubectl(Path dir, Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
