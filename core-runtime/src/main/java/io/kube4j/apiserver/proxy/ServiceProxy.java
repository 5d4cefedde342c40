package io.kube4j.apiserver.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.ObjectService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves {@code services/[scheme:]NAME[:PORT]/proxy/PATH} to an endpoint of the Service and
 * forwards the request there, as kube-apiserver's service REST location does: the Service's port
 * is picked by name or number (or is its only port), the Endpoints of the same name give an address
 * with the port of that name, and the answer comes back as it is. Authentication and authorization
 * ({@code get services/proxy}) happened before. Blocks on the upstream call; thread-safe.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("accept", "content-type");
    private static final Set<String> FORWARDED_RESPONSE_HEADERS = Set.of("content-type", "content-encoding");

    private final ObjectService objects;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The upstream's answer. */
    public record Answer(int code, List<Header> headers, byte[] body) {
    }

    /** A response header to copy. */
    public record Header(String name, String value) {
    }

    /** Where a proxied request goes. */
    record Target(String scheme, String host, int port) {
    }

    public ServiceProxy(ObjectService objects) {
        this.objects = requireNonNull(objects, "objects is null");
    }

    /**
     * Forwards one request.
     *
     * @param serviceRef the name segment: {@code NAME}, {@code NAME:PORT} or {@code SCHEME:NAME:PORT}
     * @param path       what follows {@code /proxy}, {@code /} when nothing does
     * @param rawQuery   the query string as sent, or empty
     * @throws ApiError 404 for an unknown Service or port, 503 when no endpoint serves it, 502 when it does not answer
     */
    public Answer forward(String namespace, String serviceRef, String method, String path, Optional<String> rawQuery,
                          List<Header> requestHeaders, byte[] body) {
        Target target = resolve(namespace, serviceRef);
        String uri = target.scheme() + "://" + hostForUri(target.host()) + ":" + target.port()
                + (path.startsWith("/") ? path : "/" + path) + rawQuery.map(q -> "?" + q).orElse("");
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid proxy path " + path + ": " + e.getMessage());
        }
        for (Header h : requestHeaders) {
            if (FORWARDED_REQUEST_HEADERS.contains(h.name().toLowerCase(java.util.Locale.ROOT))) {
                request.header(h.name(), h.value());
            }
        }
        request.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            List<Header> headers = response.headers().map().entrySet().stream()
                    .filter(e -> FORWARDED_RESPONSE_HEADERS.contains(e.getKey().toLowerCase(java.util.Locale.ROOT)))
                    .flatMap(e -> e.getValue().stream().map(v -> new Header(e.getKey(), v))).toList();
            return new Answer(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw ApiError.withCode(502, "BadGateway", "error trying to reach service: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while proxying to service " + serviceRef);
        }
    }

    Target resolve(String namespace, String serviceRef) {
        String[] parts = serviceRef.split(":", -1);
        String scheme = "";
        String name;
        String port = "";
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                name = parts[0];
                port = parts[1];
            }
            case 3 -> {
                scheme = parts[0];
                name = parts[1];
                port = parts[2];
            }
            default -> throw ApiError.badRequest("invalid service request " + serviceRef);
        }
        if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
            throw ApiError.badRequest("invalid scheme " + scheme + " in " + serviceRef);
        }
        ResourceType services = type("services");
        JsonNode service = objects.get(services, namespace, name).object();
        JsonNode servicePort = servicePort(service.path("spec").path("ports"), name, port);
        String portName = servicePort.path("name").asText("");
        JsonNode endpoints;
        try {
            endpoints = objects.get(type("endpoints"), namespace, name).object();
        } catch (ApiError e) {
            if (e.code() == 404) {
                throw ApiError.unavailable("no endpoints available for service \"" + name + "\"");
            }
            throw e;
        }
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode p : subset.path("ports")) {
                if (p.path("name").asText("").equals(portName) && subset.path("addresses").size() > 0) {
                    String ip = subset.path("addresses").get(0).path("ip").asText();
                    String s = scheme.isEmpty() ? (portName.equals("https") ? "https" : "http") : scheme;
                    return new Target(s, ip, p.path("port").asInt());
                }
            }
        }
        throw ApiError.unavailable("no endpoints available for service \"" + name + "\"");
    }

    private static JsonNode servicePort(JsonNode ports, String service, String wanted) {
        if (wanted.isEmpty()) {
            if (ports.size() == 1) {
                return ports.get(0);
            }
            throw ApiError.notFound("no port given and service \"" + service + "\" has " + ports.size() + " ports");
        }
        for (JsonNode p : ports) {
            if (p.path("name").asText("").equals(wanted) || String.valueOf(p.path("port").asInt(-1)).equals(wanted)) {
                return p;
            }
        }
        throw ApiError.notFound("no service port \"" + wanted + "\" found for service \"" + service + "\"");
    }

    private ResourceType type(String resource) {
        return objects.registry().byResource("", "v1", resource)
                .orElseThrow(() -> new IllegalStateException("no built-in type " + resource));
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        http.close();
    }
}
