package io.kube4j.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (client-go) against a stub API server that speaks protobuf through the codec:
 * kubectl's protobuf bodies must decode, and it must read the objects, lists and watch frames
 * the codec writes. Skipped where kubectl is not installed.
 */
class TestProtobufCodecWithKubectl {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROTOBUF = ProtobufCodec.MEDIA_TYPE;
    private static final String POD = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'w','namespace':'default',"
            + "'resourceVersion':'2','creationTimestamp':'2024-01-02T03:04:05Z'},'spec':{'containers':[{'name':'w','image':'busybox'}]},"
            + "'status':{'phase':'Succeeded'}}";

    private static final Map<String, String> DISCOVERY = Map.of(
            "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}",
            "/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}",
            "/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                    + "{\"name\":\"namespaces\",\"namespaced\":false,\"kind\":\"Namespace\",\"verbs\":[\"create\",\"get\",\"list\"]},"
                    + "{\"name\":\"pods\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"create\",\"get\",\"list\",\"watch\"]}]}");

    @TempDir
    Path dir;

    private HttpServer server;
    private Path kubeconfig;

    @BeforeEach
    void startStubServer() throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: stub, user: {}}]
                contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
                current-context: stub
                """.formatted(server.getAddress().getPort()));
    }

    @AfterEach
    void stopStubServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void kubectlCreateSendsProtobufAndReadsTheProtobufAnswer() throws Exception {
        String output = kubectl("create", "namespace", "team-a", "-o", "json");

        JsonNode created = MAPPER.readTree(output);
        assertThat(created.at("/metadata/name").asText()).isEqualTo("team-a");
        assertThat(created.at("/metadata/uid").asText()).isEqualTo("uid-team-a");
        assertThat(created.at("/metadata/creationTimestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
    }

    @Test
    void kubectlReadsAProtobufListAndWatchStream() throws Exception {
        // kubectl run -i lists and watches the pod through client-go until it has finished, then reads its log.
        String output = kubectl("run", "w", "--image=busybox", "--restart=Never", "--pod-running-timeout=20s", "-i", "--", "echo", "hi");

        assertThat(output).contains("logged by the stub");
    }

    private String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean protobufBody = PROTOBUF.equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (exchange.getRequestMethod().equals("POST")) {
                ObjectNode object = protobufBody ? ProtobufCodec.decode(body) : (ObjectNode) MAPPER.readTree(body);
                ObjectNode metadata = (ObjectNode) object.get("metadata");
                metadata.put("uid", "uid-" + metadata.path("name").asText());
                metadata.put("creationTimestamp", "2024-01-02T03:04:05Z");
                metadata.put("resourceVersion", "1");
                send(exchange, 201, PROTOBUF, ProtobufCodec.encode(object));
            } else if (path.equals("/api/v1/pods") && query.contains("watch=true")) {
                send(exchange, 200, PROTOBUF + ";stream=watch", ProtobufCodec.encodeWatchEvent("ADDED", json(POD)));
            } else if (path.equals("/api/v1/pods")) {
                send(exchange, 200, PROTOBUF, ProtobufCodec.encode(json(
                        "{'apiVersion':'v1','kind':'PodList','metadata':{'resourceVersion':'1'},'items':[]}")));
            } else if (path.equals("/api/v1/namespaces/default/pods/w/log")) {
                send(exchange, 200, "text/plain", "logged by the stub\n".getBytes(StandardCharsets.UTF_8));
            } else {
                String discovery = DISCOVERY.get(path);
                send(exchange, discovery == null ? 404 : 200, "application/json",
                        (discovery == null ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}" : discovery)
                                .getBytes(StandardCharsets.UTF_8));
            }
        } catch (ProtobufException e) {
            send(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static JsonNode json(String text) throws IOException {
        return MAPPER.readTree(text.replace('\'', '"'));
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }
}
