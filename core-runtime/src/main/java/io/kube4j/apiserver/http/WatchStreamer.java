package io.kube4j.apiserver.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.cache.CachedObject;
import io.kube4j.apiserver.cache.GoneException;
import io.kube4j.apiserver.cache.WatchFilter;
import io.kube4j.apiserver.cache.Watcher;
import io.kube4j.apiserver.protobuf.ProtobufCodec;
import io.kube4j.apiserver.protobuf.ProtobufException;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.ObjectService;
import io.kube4j.apiserver.selection.FieldSelector;
import io.kube4j.apiserver.selection.LabelSelector;
import io.kube4j.apiserver.table.TableConverter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves watches: over a chunked HTTP response (one JSON event per line, as kubectl reads it) or
 * over a WebSocket (one event per text message, as fabric8 informers use). Each watch has its
 * own virtual thread that takes events from its {@link Watcher} queue and writes them; encoding
 * is a concatenation of the object's JSON made once by the cache.
 */
final class WatchStreamer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchStreamer.class);
    /** kube-apiserver's --min-request-timeout: watches without timeoutSeconds end after 30 to 60 minutes. */
    private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;

    private final ObjectService objects;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Set<Watcher> open = ConcurrentHashMap.newKeySet();

    WatchStreamer(ObjectService objects, ObjectMapper mapper, Clock clock) {
        this.objects = objects;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A checked watch request, ready to start. */
    record WatchRequest(ResourceType type, Optional<Watcher> watcher, Optional<ApiError> error, Duration timeout,
                        MediaTypes.Answer answer, String includeObject) {
    }

    WatchRequest prepare(ResourceType type, String namespace, String name, Fields query, MediaTypes.Answer answer) {
        if (!type.verbs().contains("watch")) {
            throw ApiError.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        LabelSelector labels = LabelSelector.parse(query.getValue("labelSelector"));
        FieldSelector fields = FieldSelector.parse(query.getValue("fieldSelector"), type.kind());
        String rv = query.getValue("resourceVersion");
        Optional<Long> from = rv == null || rv.isEmpty() || rv.equals("0") ? Optional.empty() : Optional.of(parse(rv));
        boolean bookmarks = QueryFlag.isSet(query, "allowWatchBookmarks");
        String t = query.getValue("timeoutSeconds");
        long timeoutSeconds = t == null || t.isEmpty()
                ? MIN_REQUEST_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS)
                : Math.max(0, parse(t));
        WatchFilter filter = new WatchFilter() {
            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public boolean matches(CachedObject o) {
                return (namespace.isEmpty() || !type.namespaced() || namespace.equals(o.namespace()))
                        && (name.isEmpty() || name.equals(o.name()))
                        && labels.matches(o.labels())
                        && fields.matches(o::field);
            }
        };
        try {
            if (from.isPresent()) {
                awaitCache(from.get());
                long current = objects.cache().revision();
                if (from.get() > current) {
                    throw new ApiError(504, "Timeout", "Too large resource version: " + from.get() + ", current: "
                            + current, "", "", "", List.of(new ApiError.Cause("ResourceVersionTooLarge",
                            "Too large resource version", "")), 1);
                }
            }
            Watcher w = objects.cache().watch(type, filter, from, bookmarks);
            open.add(w);
            return new WatchRequest(type, Optional.of(w), Optional.empty(), Duration.ofSeconds(timeoutSeconds), answer,
                    ApiHandler.includeObject(query));
        } catch (GoneException e) {
            return new WatchRequest(type, Optional.empty(), Optional.of(ApiError.gone(e.getMessage())),
                    Duration.ZERO, answer, "");
        }
    }

    private void awaitCache(long revision) {
        try {
            // A version from another API server may be a moment ahead of this cache.
            objects.cache().awaitRevision(revision, Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long parse(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid resource version or timeout: " + v);
        }
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * Whether a client reads a chunk only once the CRLF that ends it has arrived. urllib3 (under
     * the Python client) does; Go's and Java's HTTP clients, curl and browsers hand over a chunk's
     * bytes as they come. Jetty sends a chunk's closing CRLF only with the next chunk, so a client
     * that waits for it would see each batch of events one batch late: such clients (Python's, and
     * any that does not say who it is) get a one-space chunk after each batch, which releases the
     * CRLF; JSON stream decoders skip the space. Everyone else is spared that second TLS record.
     */
    static boolean waitsForChunkEnd(String userAgent) {
        return userAgent == null || userAgent.isBlank() || userAgent.toLowerCase(java.util.Locale.ROOT).contains("python");
    }

    void streamHttp(WatchRequest w, Exchange x, boolean padBatches) throws IOException {
        boolean protobuf = w.answer() == MediaTypes.Answer.PROTOBUF && ProtobufCodec.supports(w.type().apiVersion(), w.type().kind());
        x.status(200);
        x.setHeader("Content-Type", protobuf ? ProtobufCodec.MEDIA_TYPE + ";stream=watch" : "application/json");
        x.setHeader("Cache-Control", "no-cache, private");
        try (OutputStream out = x.output()) {
            out.flush();
            // A batch is gathered here and handed to Jetty in one write: one chunk and one TLS record, where a
            // write per event would make as many of each.
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream(8192);
            pump(w, new FrameSink() {
                @Override
                public void send(byte[] frame) {
                    batch.writeBytes(frame);
                }

                @Override
                public void flush() throws IOException {
                    batch.writeTo(out);
                    batch.reset();
                    if (padBatches && !protobuf) {
                        // See waitsForChunkEnd: a one-space chunk after the batch releases its closing CRLF.
                        out.write(' ');
                    }
                    out.flush();
                }
            }, protobuf);
        } catch (IOException e) {
            log.debug("watch client went away: {}", e.getMessage());
        }
    }

    /** Where a watch's frames go: gathered, and written and flushed once per batch. */
    interface FrameSink {
        void send(byte[] frame) throws IOException;

        void flush() throws IOException;
    }

    /** Events already queued are written together and flushed once: one TLS record per batch, not per event. */
    private static final int MAX_BATCH = 128;

    private void pump(WatchRequest w, FrameSink sink, boolean protobuf) throws IOException {
        try (Frames frames = new Frames(w, protobuf)) {
            Optional<byte[]> frame;
            while ((frame = frames.next(true)).isPresent()) {
                int batch = 0;
                while (frame.isPresent()) {
                    sink.send(frame.get());
                    frame = ++batch < MAX_BATCH ? frames.next(false) : Optional.empty();
                }
                sink.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON frames of a prepared watch, for a reader in this JVM ({@link LocalTransport}). */
    Frames frames(WatchRequest w) {
        return new Frames(w, false);
    }

    /**
     * The frames of one watch, in order: its ERROR alone if it could not start, else its events and
     * bookmarks until its timeout, until the cache ends it, or until it is closed.
     */
    final class Frames implements AutoCloseable {
        private final WatchRequest w;
        private final boolean protobuf;
        private final long deadline;
        private volatile boolean ended;

        private Frames(WatchRequest w, boolean protobuf) {
            this.w = w;
            this.protobuf = protobuf;
            this.deadline = System.nanoTime() + w.timeout().toNanos();
        }

        /**
         * The next frame. With {@code wait} it blocks until there is one, and is empty only once the
         * watch has ended; without, it is empty when no frame is queued now.
         */
        Optional<byte[]> next(boolean wait) throws IOException, InterruptedException {
            if (ended) {
                return Optional.empty();
            }
            if (w.error().isPresent()) {
                ended = true;
                return Optional.of(frame("ERROR", w.error().get().status(), protobuf));
            }
            Watcher watcher = w.watcher().orElseThrow();
            Optional<Watcher.Item> item;
            if (wait) {
                item = Optional.empty();
                while (item.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || watcher.isDone() || ended) {
                        close();
                        return Optional.empty();
                    }
                    item = watcher.next(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
                }
            } else {
                item = watcher.poll();
                if (item.isEmpty()) {
                    return Optional.empty();
                }
            }
            return Optional.of(switch (item.get()) {
                case Watcher.Event e -> eventFrame(w, e, protobuf);
                case Watcher.Bookmark b -> frame("BOOKMARK", bookmark(w.type(), b.revision()), protobuf);
            });
        }

        /** Ends the watch: a waiting {@link #next} returns within a second. */
        @Override
        public void close() {
            ended = true;
            w.watcher().ifPresent(watcher -> {
                watcher.close();
                open.remove(watcher);
            });
        }
    }

    private byte[] eventFrame(WatchRequest w, Watcher.Event e, boolean protobuf) throws IOException {
        String type = e.type().name();
        if (w.answer() == MediaTypes.Answer.TABLE) {
            ObjectNode table = TableConverter.toTable(w.type(), List.of(e.object().object()),
                    Long.toString(e.object().revision()), "", w.includeObject(), clock.instant());
            return frame(type, table, false);
        }
        if (protobuf) {
            return frame(type, e.object().object(), true);
        }
        return e.object().watchFrame(e.type());
    }

    private byte[] frame(String type, ObjectNode object, boolean protobuf) throws IOException {
        if (protobuf) {
            try {
                return ProtobufCodec.encodeWatchEvent(type, object);
            } catch (ProtobufException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", type);
        event.set("object", object);
        byte[] json = mapper.writeValueAsBytes(event);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private static ObjectNode bookmark(ResourceType type, long revision) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("kind", type.kind()).put("apiVersion", type.apiVersion());
        o.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return o;
    }

    // ------------------------------------------------------------------ WebSocket

    static boolean isWebSocketUpgrade(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Upgrades to a WebSocket and streams the watch over it; errors before the upgrade are answered as HTTP. */
    boolean upgrade(Request request, Response response, Callback callback, Supplier<WatchRequest> prepare) {
        ServerWebSocketContainer container = ServerWebSocketContainer.get(request.getContext());
        WatchRequest w;
        try {
            w = prepare.get();
        } catch (ApiError e) {
            try {
                ApiHandler.writeBytes(new JettyExchange(request, response), e.code(), "application/json", mapper.writeValueAsBytes(e.status()));
                callback.succeeded();
            } catch (IOException io) {
                callback.failed(io);
            }
            return true;
        }
        if (container == null) {
            w.watcher().ifPresent(Watcher::close);
            callback.failed(new IllegalStateException("WebSocket support is not configured"));
            return true;
        }
        return container.upgrade((rq, rs, cb) -> new Endpoint(w), request, response, callback);
    }

    /**
     * One watch over a WebSocket: a virtual thread pumps events into text messages. Public because Jetty finds the
     * listener methods through a public lookup.
     */
    public final class Endpoint extends Session.Listener.AbstractAutoDemanding {
        private final WatchRequest w;

        Endpoint(WatchRequest w) {
            this.w = w;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            Thread.ofVirtual().name("watch-ws-" + w.type().plural()).start(() -> {
                try {
                    pump(w, new FrameSink() {
                        @Override
                        public void send(byte[] frame) throws IOException {
                            // JSON watch events go as text messages, as kube-apiserver frames them.
                            var done = new org.eclipse.jetty.websocket.api.Callback.Completable();
                            session.sendText(new String(frame, StandardCharsets.UTF_8), done);
                            try {
                                done.get();
                            } catch (Exception e) {
                                throw new IOException("websocket send failed", e);
                            }
                        }

                        @Override
                        public void flush() {
                            // every message is sent on its own
                        }
                    }, false);
                } catch (IOException e) {
                    log.debug("websocket watch ended: {}", e.getMessage());
                } finally {
                    session.close(1000, "watch ended", org.eclipse.jetty.websocket.api.Callback.NOOP);
                }
            });
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            w.watcher().ifPresent(Watcher::close);
        }
    }

    @Override
    public void close() {
        for (Watcher w : List.copyOf(open)) {
            w.close();
        }
    }

}
