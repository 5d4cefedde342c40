package io.kube4j.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.ObjectService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * {@code GET nodes/{name}/proxy/{path}}: as kube-apiserver does, forwards to the node's kubelet (its
 * InternalIP and {@code daemonEndpoints.kubeletEndpoint.Port}, plain HTTP) and answers what it
 * answered, so that {@code kubectl get --raw /api/v1/nodes/node-1/proxy/stats/summary} works. GET only.
 */
final class NodeProxy implements AutoCloseable {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final ObjectService objects;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("apiserver-node-proxy-", 0).factory()))
            .build();

    NodeProxy(ObjectService objects) {
        this.objects = objects;
    }

    void serve(String method, String nodeName, String path, Optional<String> query, Exchange x) throws IOException {
        if (!method.equals("GET")) {
            throw ApiError.methodNotAllowed("only GET is proxied to a node");
        }
        ResourceType nodes = objects.registry().byKind("", "v1", "Node").orElseThrow();
        JsonNode node = objects.get(nodes, "", nodeName).object();
        String address = "";
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asText().equals("InternalIP")) {
                address = a.path("address").asText();
                break;
            }
        }
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (address.isEmpty() || port == 0) {
            throw ApiError.badRequest("node " + nodeName + " has no kubelet endpoint (InternalIP and kubeletEndpoint port)");
        }
        URI uri = URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port
                + (path.startsWith("/") ? path : "/" + path) + query.filter(q -> !q.isEmpty()).map(q -> "?" + q).orElse(""));
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            // kube4j's kubelets of one process may share an endpoint: this names the node.
                            .header("X-Kube4j-Node", nodeName).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ApiError.unavailable("cannot reach the kubelet of node " + nodeName + " at " + address + ":" + port
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.internal("interrupted");
        }
        byte[] body = answer.body();
        if (body.length > MAX_BODY) {
            throw ApiError.internal("the kubelet's answer is larger than " + MAX_BODY + " bytes");
        }
        x.status(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(t -> x.setHeader("Content-Type", t));
        x.setHeader("Content-Length", Integer.toString(body.length));
        try (OutputStream out = x.output()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
