package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's own HTTP port, as kube-scheduler's 10259: {@code /healthz}, {@code /livez},
 * {@code /readyz}, {@code /metrics} (Prometheus text) and {@code /debug/pods[/<namespace>/<name>]}
 * (the explanation of a pod's last scheduling attempt, JSON). Plain HTTP without authentication:
 * bind it to loopback, or reach it through the API server's service proxy, which authenticates
 * and authorizes ({@code get services/proxy}). Every answer is computed from memory, no I/O.
 */
final class SchedulerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server jetty;
    private final ServerConnector connector;

    SchedulerServer(String host, int port, SchedulingAttempts attempts, BooleanSupplier leading) {
        requireNonNull(attempts, "attempts is null");
        QueuedThreadPool threads = new QueuedThreadPool(8, 2, 60_000);
        threads.setName("scheduler-http");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request.getMethod(), request.getHttpURI().getDecodedPath(), attempts, leading, response, callback);
                return true;
            }
        });
        jetty.setStopTimeout(2_000);
    }

    void start() {
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("scheduler: cannot listen on " + connector.getHost() + ":" + connector.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens (the real port when 0 was asked for). */
    InetSocketAddress address() {
        String host = connector.getHost();
        return new InetSocketAddress(host == null || host.isEmpty() ? "0.0.0.0" : host, connector.getLocalPort());
    }

    private static void serve(String method, String path, SchedulingAttempts attempts, BooleanSupplier leading,
                              Response response, Callback callback) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            write(response, callback, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return;
        }
        switch (path) {
            case "/healthz", "/livez", "/readyz" -> write(response, callback, 200, "text/plain; charset=utf-8", "ok");
            case "/metrics" -> write(response, callback, 200, io.kube4j.runtime.metrics.MetricsRegistry.CONTENT_TYPE,
                    attempts.metrics().registry().scrape());
            case "/debug/pods", "/debug/pods/" -> {
                ArrayNode pods = JsonNodeFactory.instance.arrayNode();
                List<SchedulingAttempts.Explanation> all = attempts.all();
                for (int i = all.size() - 1; i >= 0; i--) {
                    SchedulingAttempts.Explanation e = all.get(i);
                    pods.addObject().put("pod", e.namespace() + "/" + e.name()).put("result", e.result())
                            .put("time", e.time().toString());
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("leading", leading.getAsBoolean());
                body.set("pods", pods);
                json(response, callback, 200, body);
            }
            default -> {
                Optional<String[]> pod = podOf(path);
                if (pod.isEmpty()) {
                    write(response, callback, 404, "text/plain; charset=utf-8", "404 page not found\n");
                    return;
                }
                Optional<SchedulingAttempts.Explanation> e = attempts.explanation(pod.get()[0], pod.get()[1]);
                if (e.isEmpty()) {
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("pod", pod.get()[0] + "/" + pod.get()[1])
                            .put("message", leading.getAsBoolean()
                                    ? "no scheduling attempt of this pod is remembered: this scheduler never attempted"
                                    + " it, or its last attempt is older than those of the last pods it keeps"
                                    : "this scheduler is not the leader; ask the one that holds the kube-scheduler Lease");
                    json(response, callback, 404, body);
                } else {
                    json(response, callback, 200, SchedulingAttempts.toJson(e.get()));
                }
            }
        }
    }

    /** {@code /debug/pods/<namespace>/<name>} → namespace and name. */
    static Optional<String[]> podOf(String path) {
        String prefix = "/debug/pods/";
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        String[] parts = path.substring(prefix.length()).split("/");
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }

    private static void json(Response response, Callback callback, int code, ObjectNode body) {
        try {
            write(response, callback, code, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body)
                    + "\n");
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }

    private static void write(Response response, Callback callback, int code, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("scheduler: stopping the HTTP server failed: {}", e.toString());
        }
    }
}
