package io.kube4j.apiserver.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.Status;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.ApiTransport;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.apiserver.rest.ApiError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * The {@link ApiTransport} of components that run in the API server's JVM (the scheduler, the
 * controller-manager, kubelets, proxies and add-ons of a {@code kube4j up}): a request goes
 * straight into {@link ApiHandler} on the caller's thread, with its bearer token, and is
 * authenticated, limited, authorized, admitted, stored and answered exactly as one that came
 * over HTTPS. What it skips is the socket, TLS, HTTP parsing and the hand-offs between threads;
 * a watch's events are read from the cache's encoding as the caller asks for them.
 * kube-apiserver gives its own loopback clients a shortcut of the same kind.
 */
public final class LocalTransport implements ApiTransport {
    /** Where in-process requests say they come from. */
    private static final String REMOTE_ADDRESS = "127.0.0.1";

    private final ApiHandler handler;
    private final Map<String, List<String>> baseHeaders;

    /**
     * @param handler     the API server's handler
     * @param bearerToken the token to authenticate with, as a component over HTTPS would send it
     */
    public LocalTransport(ApiHandler handler, Optional<String> bearerToken) {
        this.handler = requireNonNull(handler, "handler is null");
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("accept", List.of("application/json"));
        headers.put("user-agent", List.of("kube4j-apiclient"));
        bearerToken.ifPresent(t -> headers.put("authorization", List.of("Bearer " + t)));
        this.baseHeaders = Map.copyOf(headers);
    }

    @Override
    public Reply send(Request request, boolean write) {
        LocalExchange x = new LocalExchange(request.method(), request.pathAndQuery(),
                headers(request.contentType()), request.body());
        handler.serveLocal(x);
        String retryAfter = x.answerHeader("retry-after");
        return new Reply(x.code, x.answer.toByteArray(), retryAfter == null ? 0 : Long.parseLong(retryAfter));
    }

    @Override
    public WatchStream watch(String pathAndQuery) {
        LocalExchange x = new LocalExchange("GET", pathAndQuery, baseHeaders, null);
        WatchStreamer.Frames frames;
        try {
            frames = handler.watchFrames(x);
        } catch (ApiError e) {
            throw new ApiException(e.code(), HttpApiClient.mapper().convertValue(e.status(), Status.class));
        }
        return new WatchStream() {
            /** The last event's parser, closed when the next is asked for: its buffers go back to Jackson's pool. */
            private JsonParser current;

            @Override
            public Optional<JsonParser> next() throws IOException {
                release();
                Optional<byte[]> frame;
                try {
                    frame = frames.next(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (frame.isEmpty()) {
                    return Optional.empty();
                }
                current = HttpApiClient.mapper().createParser(frame.get());
                if (current.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("a watch frame that is not a JSON object");
                }
                return Optional.of(current);
            }

            private void release() throws IOException {
                if (current != null) {
                    current.close();
                    current = null;
                }
            }

            @Override
            public void close() {
                frames.close();
            }
        };
    }

    @Override
    public void close() {
        // nothing of its own: the API server outlives its in-process clients
    }

    private Map<String, List<String>> headers(String contentType) {
        if (contentType == null) {
            return baseHeaders;
        }
        Map<String, List<String>> headers = new HashMap<>(baseHeaders);
        headers.put("content-type", List.of(contentType));
        return headers;
    }

    /** A request from this JVM and its answer, kept in memory. */
    private static final class LocalExchange implements Exchange {
        private final String method;
        private final String path;
        private final String rawQuery;
        private final Map<String, List<String>> headers;
        private final byte[] body;
        private final ByteArrayOutputStream answer = new ByteArrayOutputStream(1024);
        private final Map<String, List<String>> answerHeaders = new HashMap<>();
        private int code = 200;
        private Fields query;

        LocalExchange(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
            int q = pathAndQuery.indexOf('?');
            this.method = method;
            this.path = URIUtil.decodePath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
            this.rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
            this.headers = headers;
            this.body = body == null ? new byte[0] : body;
        }

        String answerHeader(String name) {
            return first(answerHeaders, name);
        }

        /** The first value of header {@code name} in {@code headers} (names in lower case), or null. */
        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String rawQuery() {
            return rawQuery;
        }

        @Override
        public Fields query() {
            if (query == null) {
                query = new Fields(true);
                if (rawQuery != null) {
                    UrlEncoded.decodeUtf8To(rawQuery, query);
                }
            }
            return query;
        }

        @Override
        public String header(String name) {
            return first(headers, name);
        }

        @Override
        public Map<String, List<String>> headers() {
            return headers;
        }

        @Override
        public String remoteAddress() {
            return REMOTE_ADDRESS;
        }

        @Override
        public long declaredLength() {
            return body.length;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void status(int code) {
            this.code = code;
        }

        @Override
        public void setHeader(String name, String value) {
            answerHeaders.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value)));
        }

        @Override
        public void addHeader(String name, String value) {
            answerHeaders.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        }

        @Override
        public OutputStream output() {
            return answer;
        }
    }
}
