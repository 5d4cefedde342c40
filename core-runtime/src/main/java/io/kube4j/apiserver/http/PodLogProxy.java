package io.kube4j.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.ObjectService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET pods/{name}/log}: as kube-apiserver does, finds the pod's node and its kubelet (the
 * Node's InternalIP and {@code daemonEndpoints.kubeletEndpoint.port}) and streams the kubelet's
 * {@code /containerLogs/...} answer through, flushed as it comes, so that {@code kubectl logs -f} follows.
 */
final class PodLogProxy {
    private static final List<String> PASSED = List.of("follow", "previous", "sinceSeconds", "sinceTime", "timestamps",
            "tailLines", "limitBytes");

    private final ObjectService objects;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("apiserver-log-proxy-", 0).factory()))
            .build();

    PodLogProxy(ObjectService objects) {
        this.objects = objects;
    }

    void serve(ResourceType pods, String namespace, String name, Fields query, Exchange x) throws IOException {
        JsonNode pod = objects.get(pods, namespace, name).object();
        List<String> names = new ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        List<String> all = new ArrayList<>(names);
        pod.path("spec").path("initContainers").forEach(c -> all.add(c.path("name").asText()));
        String container = query.getValue("container");
        if (container == null || container.isEmpty()) {
            if (names.size() != 1) {
                throw ApiError.badRequest("a container name must be specified for pod " + name + ", choose one of: "
                        + names.toString().replace(",", ""));
            }
            container = names.getFirst();
        } else if (!all.contains(container)) {
            throw ApiError.badRequest("container " + container + " is not valid for pod " + name);
        }
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            throw ApiError.badRequest("pod " + name + " does not have a host assigned");
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
        StringJoiner q = new StringJoiner("&");
        for (String key : PASSED) {
            String value = query.getValue(key);
            if (value != null) {
                q.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        URI uri = URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port
                + "/containerLogs/" + enc(namespace) + "/" + enc(name) + "/" + enc(container)
                + (q.length() == 0 ? "" : "?" + q));
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiError.internal("cannot reach the kubelet of node " + nodeName + " at " + address + ":" + port + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.internal("interrupted");
        }
        try (InputStream in = answer.body()) {
            if (answer.statusCode() != 200) {
                String message = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                throw answer.statusCode() == 404 ? ApiError.notFound(message) : ApiError.badRequest(message);
            }
            x.status(200);
            x.setHeader("Content-Type", "text/plain");
            x.setHeader("Cache-Control", "no-cache, private");
            try (OutputStream out = x.output()) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
