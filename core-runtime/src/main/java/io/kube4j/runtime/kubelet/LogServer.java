package io.kube4j.runtime.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTP endpoint for container logs, as the API server's {@code pods/log} proxies to
 * it: {@code GET /containerLogs/<namespace>/<pod>/<container>?follow&tailLines&timestamps&sinceSeconds&sinceTime&previous&limitBytes},
 * and {@code GET /stats/summary} (the node's and its pods' resource usage, as JSON). The kubelets of
 * one {@link KubeletHost} on one address share a server: a log request names its pod, and so its node;
 * a summary request names its node in the {@value #NODE_HEADER} header.
 * Plain HTTP, no authentication yet: it binds the node's address only.
 */
final class LogServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogServer.class);

    /** A container's log file, and whether the container still writes it. */
    record Target(Path file, BooleanSupplier running) {
    }

    /** Finds the log of a container; a missing one is a {@link NotFound} with the message the client sees. */
    interface Lookup {
        Target find(String namespace, String pod, String container, boolean previous) throws NotFound;
    }

    /**
     * The JSON stats summary of the node a request names in its {@value #NODE_HEADER} header (the API
     * server's node proxy sends it), or of the one node this server serves when it names none.
     */
    interface Summaries {
        byte[] summary(Optional<String> node) throws NotFound;
    }

    /** The header that names the node a request is for, where several nodes share one endpoint. */
    static final String NODE_HEADER = "X-Kube4j-Node";

    static final class NotFound extends Exception {
        private final int code;

        NotFound(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;

    LogServer(String address, int port, Lookup lookup, Summaries summaries, String nodeName) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("kubelet of " + nodeName + ": cannot listen on " + address + ":" + port
                    + ": " + e.getMessage(), e);
        }
        threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubelet-http-" + nodeName + "-", 0).factory());
        server.setExecutor(threads);
        server.createContext("/containerLogs/", exchange -> serve(exchange, lookup));
        server.createContext("/stats/summary", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    text(exchange, 405, "only GET");
                    return;
                }
                byte[] body;
                try {
                    body = summaries.summary(Optional.ofNullable(exchange.getRequestHeaders().getFirst(NODE_HEADER))
                            .filter(n -> !n.isBlank()));
                } catch (NotFound e) {
                    text(exchange, e.code, e.getMessage());
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (RuntimeException e) {
                log.warn("stats summary failed: {}", e.toString());
            }
        });
        server.createContext("/healthz", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Lookup lookup) {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                text(exchange, 405, "only GET");
                return;
            }
            String[] parts = exchange.getRequestURI().getRawPath().substring("/containerLogs/".length()).split("/");
            if (parts.length != 3) {
                text(exchange, 404, "expected /containerLogs/<namespace>/<pod>/<container>");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            CriLogReader.Options options;
            try {
                Optional<Instant> since = Optional.empty();
                if (query.containsKey("sinceSeconds")) {
                    since = Optional.of(Instant.now().minusSeconds(Long.parseLong(query.get("sinceSeconds"))));
                } else if (query.containsKey("sinceTime")) {
                    since = Optional.of(Instant.parse(query.get("sinceTime")));
                }
                options = new CriLogReader.Options(flag(query, "follow"),
                        Long.parseLong(query.getOrDefault("tailLines", "-1")), flag(query, "timestamps"), since,
                        Long.parseLong(query.getOrDefault("limitBytes", "0")));
            } catch (RuntimeException e) {
                text(exchange, 400, "bad query: " + e.getMessage());
                return;
            }
            Target target;
            try {
                target = lookup.find(decode(parts[0]), decode(parts[1]), decode(parts[2]), flag(query, "previous"));
            } catch (NotFound e) {
                text(exchange, e.code, e.getMessage());
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            CriLogReader.copy(target.file(), options, out, target.running());
        } catch (IOException e) {
            log.debug("log request ended: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean flag(Map<String, String> query, String name) {
        String v = query.get(name);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void text(HttpExchange exchange, int code, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
