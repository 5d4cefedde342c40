package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link ApiClient} speaking the Kubernetes REST API in JSON with Jackson, over an
 * {@link ApiTransport}: HTTP(S) with the JDK's client by default (on a connection failure the
 * next server of the config is tried, and the one that answered is remembered), or the API
 * server's in-process transport for a component in its JVM. Watches read their events on a
 * virtual thread each.
 */
public final class HttpApiClient implements ApiClient {
    /** client-go retries a 429 up to 10 times; so do we. */
    private static final int MAX_429_RETRIES = 10;
    // The time module reads and writes the MicroTime fields (Lease acquireTime/renewTime) that fabric8 types as ZonedDateTime.
    // A shared buffer pool rather than Jackson's default of one per thread: every request runs on its own
    // virtual thread, and thousands of pod workers would each keep their own buffers (tens of KB apiece).
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build())
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ResourceRegistry registry;
    private final ApiTransport transport;
    private final ExecutorService watchThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("apiclient-watch-", 0).factory());

    /** A client over HTTP(S) to the servers of {@code config}. */
    public HttpApiClient(ApiClientConfig config, ResourceRegistry registry) {
        this(new JdkHttpTransport(requireNonNull(config, "config is null")), registry);
    }

    /** A client over {@code transport}, which it closes when closed. */
    public HttpApiClient(ApiTransport transport, ResourceRegistry registry) {
        this.transport = requireNonNull(transport, "transport is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** The mapper this client reads and writes objects with (fabric8 model classes are Jackson-annotated). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    @Override
    public ResourceRegistry registry() {
        return registry;
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        ResourceType rt = registry.byClass(type);
        ApiTransport.Reply response = send(request(objectPath(rt, namespace, name, ""), "GET", null, null), false);
        if (response.code() == 404) {
            return Optional.empty();
        }
        return Optional.of(decode(checked(response), type));
    }

    @Override
    public <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options) {
        ResourceType rt = registry.byClass(type);
        String path = rt.collectionPath(options.namespace()) + query(options, false);
        JsonNode body = readTree(checked(send(request(path, "GET", null, null), false)));
        JavaType itemType = MAPPER.constructType(type);
        List<T> items = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            ObjectNode o = (ObjectNode) item;
            // Lists omit kind and apiVersion on items; fabric8 types want them set.
            o.put("kind", rt.kind());
            o.put("apiVersion", rt.apiVersion());
            items.add(MAPPER.convertValue(o, itemType));
        }
        JsonNode meta = body.path("metadata");
        return new ObjectList<>(items, meta.path("resourceVersion").asText(""), meta.path("continue").asText(""));
    }

    /**
     * One watch event, its object read straight into {@code type} when {@code type} comes first (as
     * every Kubernetes API server writes it), else through a tree.
     */
    private static <T extends HasMetadata> WatchEvent<T> readEvent(JsonParser parser, Class<T> type) throws IOException {
        String eventType = null;
        T object = null;
        JsonNode raw = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("type")) {
                eventType = parser.getText();
            } else if (field.equals("object") && eventType != null && !eventType.equals("ERROR")) {
                object = MAPPER.readValue(parser, type);
            } else if (field.equals("object")) {
                raw = MAPPER.readTree(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (eventType == null) {
            throw new IOException("a watch event without a type");
        }
        if (eventType.equals("ERROR")) {
            Status status = MAPPER.convertValue(raw, Status.class);
            throw new ApiException(status.getCode() == null ? 500 : status.getCode(), status);
        }
        if (object == null) {
            object = MAPPER.convertValue(raw, type);
        }
        return new WatchEvent<>(WatchEvent.Type.valueOf(eventType), object);
    }

    @Override
    public <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener) {
        ResourceType rt = registry.byClass(type);
        String path = rt.collectionPath(options.namespace()) + query(options, true);
        AtomicBoolean closed = new AtomicBoolean();
        List<ApiTransport.WatchStream> stream = new ArrayList<>(1);
        Runnable reader = () -> {
            Optional<ApiException> error = Optional.empty();
            try (ApiTransport.WatchStream events = transport.watch(path)) {
                synchronized (stream) {
                    stream.add(events);
                }
                Optional<JsonParser> event;
                while (!closed.get() && (event = events.next()).isPresent()) {
                    listener.onEvent(readEvent(event.get(), type));
                }
            } catch (ApiException e) {
                error = Optional.of(e);
            } catch (RuntimeException | IOException e) {
                if (!closed.get()) {
                    error = Optional.of(new ApiException("watch of " + path + " failed: " + e.getMessage(), e));
                }
            } finally {
                listener.onClose(error);
            }
        };
        watchThreads.submit(reader);
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (stream) {
                    stream.forEach(ApiTransport.WatchStream::close);
                }
            }
        };
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        ResourceType rt = registry.byClass(object.getClass());
        String path = rt.collectionPath(namespaceOf(object));
        return decode(checked(send(request(path, "POST", "application/json", encode(object)), true)), typeOf(object));
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return put(object, "");
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        return put(object, "status");
    }

    private <T extends HasMetadata> T put(T object, String subresource) {
        ResourceType rt = registry.byClass(object.getClass());
        String path = objectPath(rt, namespaceOf(object), object.getMetadata().getName(), subresource);
        return decode(checked(send(request(path, "PUT", "application/json", encode(object)), true)), typeOf(object));
    }

    @Override
    public <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType,
                                           String patch, String subresource) {
        ResourceType rt = registry.byClass(type);
        String path = objectPath(rt, namespace, name, subresource);
        if (patchType == PatchType.APPLY) {
            path += "?fieldManager=kube4j";
        }
        byte[] body = patch.getBytes(StandardCharsets.UTF_8);
        return decode(checked(send(request(path, "PATCH", patchType.contentType(), body), true)), type);
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options) {
        ResourceType rt = registry.byClass(type);
        ApiTransport.Reply response = send(request(objectPath(rt, namespace, name, ""), "DELETE",
                "application/json", writeBytes(deleteOptionsBody(options))), true);
        if (response.code() == 404) {
            return false;
        }
        checked(response);
        return true;
    }

    @Override
    public <T extends HasMetadata> void deleteCollection(Class<T> type, ListOptions selection, DeleteOptions options) {
        ResourceType rt = registry.byClass(type);
        String path = rt.collectionPath(selection.namespace()) + query(selection, false);
        checked(send(request(path, "DELETE", "application/json", writeBytes(deleteOptionsBody(options))), true));
    }

    private static ObjectNode deleteOptionsBody(DeleteOptions options) {
        ObjectNode body = MAPPER.createObjectNode().put("kind", "DeleteOptions").put("apiVersion", "v1");
        options.gracePeriodSeconds().ifPresent(g -> body.put("gracePeriodSeconds", g));
        if (!options.propagationPolicy().isEmpty()) {
            body.put("propagationPolicy", options.propagationPolicy());
        }
        if (!options.preconditionResourceVersion().isEmpty()) {
            body.withObjectProperty("preconditions").put("resourceVersion", options.preconditionResourceVersion());
        }
        if (!options.preconditionUid().isEmpty()) {
            body.withObjectProperty("preconditions").put("uid", options.preconditionUid());
        }
        return body;
    }

    @Override
    public JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
        ResourceType rt = registry.byClass(type);
        return readTree(checked(send(request(objectPath(rt, namespace, name, subresource), "GET", null, null), false)));
    }

    @Override
    public JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                      String subresource, Object body) {
        ResourceType rt = registry.byClass(type);
        return readTree(checked(send(request(objectPath(rt, namespace, name, subresource), "POST",
                "application/json", writeBytes(body)), true)));
    }

    @Override
    public JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                      String subresource, Object body) {
        ResourceType rt = registry.byClass(type);
        return readTree(checked(send(request(objectPath(rt, namespace, name, subresource), "PUT",
                "application/json", writeBytes(body)), true)));
    }

    @Override
    public void close() {
        watchThreads.shutdownNow();
        transport.close();
    }

    // ---- plumbing

    private static String objectPath(ResourceType rt, String namespace, String name, String subresource) {
        String path = rt.collectionPath(namespace) + "/" + encodePath(name);
        return subresource.isEmpty() ? path : path + "/" + subresource;
    }

    private static String namespaceOf(HasMetadata object) {
        String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        return ns == null ? "" : ns;
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> typeOf(T object) {
        return (Class<T>) object.getClass();
    }

    private static String query(ListOptions o, boolean watch) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        if (watch) {
            q.add("watch=true");
        }
        add(q, "labelSelector", o.labelSelector());
        add(q, "fieldSelector", o.fieldSelector());
        if (o.limit() > 0) {
            q.add("limit=" + o.limit());
        }
        add(q, "continue", o.continueToken());
        add(q, "resourceVersion", o.resourceVersion());
        add(q, "resourceVersionMatch", o.resourceVersionMatch());
        if (o.timeoutSeconds() > 0) {
            q.add("timeoutSeconds=" + o.timeoutSeconds());
        }
        if (o.allowWatchBookmarks()) {
            q.add("allowWatchBookmarks=true");
        }
        return q.toString();
    }

    private static void add(StringJoiner q, String key, String value) {
        if (!value.isEmpty()) {
            q.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ApiTransport.Request request(String path, String method, String contentType, byte[] body) {
        return new ApiTransport.Request(method, path, contentType, body);
    }

    /**
     * Sends, retrying a 429 after its Retry-After as client-go does: the server refused the
     * request before doing anything, so even a write is safe to send again.
     */
    private ApiTransport.Reply send(ApiTransport.Request request, boolean write) {
        for (int attempt = 1; ; attempt++) {
            ApiTransport.Reply response = transport.send(request, write);
            if (response.code() != 429 || attempt >= MAX_429_RETRIES) {
                return response;
            }
            long seconds = response.retryAfterSeconds() > 0 ? response.retryAfterSeconds() : 1;
            try {
                Thread.sleep(java.time.Duration.ofSeconds(Math.max(1, Math.min(seconds, 10))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return response;
            }
        }
    }

    private static byte[] checked(ApiTransport.Reply response) {
        if (response.code() >= 300) {
            throw error(response.code(), response.body());
        }
        return response.body();
    }

    /** The exception for an error answer: its body's Status, or the body as the message. */
    static ApiException error(int code, byte[] body) {
        Status status;
        try {
            status = MAPPER.readValue(body, Status.class);
        } catch (IOException e) {
            status = new Status();
            status.setMessage(new String(body, StandardCharsets.UTF_8));
        }
        if (status.getCode() == null) {
            status.setCode(code);
        }
        return new ApiException(code, status);
    }

    private static <T> T decode(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(HasMetadata object) {
        return writeBytes(object);
    }

    private static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName(), e);
        }
    }
}
