package io.kube4j.apiserver.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kube4j.api.auth.AuthenticationRequest;
import io.kube4j.api.auth.AuthenticationResult;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthorizationAttributes;
import io.kube4j.api.auth.AuthorizationDecision;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.cache.CachedObject;
import io.kube4j.apiserver.discovery.Discovery;
import io.kube4j.apiserver.openapi.OpenApiDocuments;
import io.kube4j.apiserver.protobuf.ProtobufCodec;
import io.kube4j.apiserver.protobuf.ProtobufException;
import io.kube4j.apiserver.proxy.ServiceProxy;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.Bodies;
import io.kube4j.apiserver.rest.ListPage;
import io.kube4j.apiserver.rest.ListQuery;
import io.kube4j.apiserver.rest.ObjectService;
import io.kube4j.apiserver.rest.RequestContext;
import io.kube4j.apiserver.selection.FieldSelector;
import io.kube4j.apiserver.selection.LabelSelector;
import io.kube4j.apiserver.selection.SelectorException;
import io.kube4j.apiserver.table.TableConverter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's HTTP front: authentication, in-flight limits, authorization, then the
 * resource verbs, discovery, OpenAPI, health and version. Each request runs on its own virtual
 * thread and may block.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectService objects;
    private final PodLogProxy logs;
    private final NodeProxy nodeProxy;
    private final Discovery discovery;
    private final OpenApiDocuments openApi;
    private final ObjectMapper mapper;
    private final List<Authenticator> authenticators;
    private final List<Authorizer> authorizers;
    private final Semaphore readOnlyInFlight;
    private final Semaphore mutatingInFlight;
    private final Supplier<Map<String, Boolean>> healthChecks;
    private final Supplier<List<ObjectNode>> componentStatuses;
    private final WatchStreamer watches;
    private final ServiceProxy serviceProxy;
    private final Clock clock;
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("apiserver-request-", 0).factory());

    /** What the handler is made of. */
    public record Parts(ObjectService objects, Discovery discovery, OpenApiDocuments openApi, ObjectMapper mapper,
                        List<Authenticator> authenticators, List<Authorizer> authorizers, int maxReadOnlyInFlight,
                        int maxMutatingInFlight, Supplier<Map<String, Boolean>> healthChecks,
                        Supplier<List<ObjectNode>> componentStatuses, Clock clock) {
    }

    public ApiHandler(Parts parts) {
        this.objects = requireNonNull(parts.objects(), "objects is null");
        this.discovery = parts.discovery();
        this.openApi = parts.openApi();
        this.mapper = parts.mapper();
        this.authenticators = List.copyOf(parts.authenticators());
        this.authorizers = List.copyOf(parts.authorizers());
        this.readOnlyInFlight = new Semaphore(parts.maxReadOnlyInFlight());
        this.mutatingInFlight = new Semaphore(parts.maxMutatingInFlight());
        this.healthChecks = parts.healthChecks();
        this.componentStatuses = parts.componentStatuses();
        this.clock = parts.clock();
        this.watches = new WatchStreamer(objects, mapper, clock);
        this.serviceProxy = new ServiceProxy(objects);
        this.logs = new PodLogProxy(objects);
        this.nodeProxy = new NodeProxy(objects);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (WatchStreamer.isWebSocketUpgrade(request)) {
            return watches.upgrade(request, response, callback, () -> prepareWatch(new JettyExchange(request, response)));
        }
        requests.execute(() -> {
            try {
                serve(new JettyExchange(request, response));
                callback.succeeded();
            } catch (Throwable t) {
                log.debug("request failed", t);
                callback.failed(t);
            }
        });
        return true;
    }

    /** Everything a watch needs, checked (authn, authz, query) before the WebSocket upgrade. */
    WatchStreamer.WatchRequest prepareWatch(Exchange x) {
        String path = x.path();
        Fields query = x.query();
        UserInfo user = authenticate(x);
        RequestInfo info = RequestInfo.parse("GET", path, true).orElseThrow(() -> ApiError.notFound("the server could not find the requested resource"));
        authorize(user, info);
        ResourceType type = resolve(info);
        return watches.prepare(type, info.namespace(), info.name(), query, MediaTypes.answer(header(x, "Accept")));
    }

    /** Serves a request from this JVM ({@link LocalTransport}), on the caller's thread. */
    void serveLocal(Exchange x) {
        try {
            serve(x);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A watch from this JVM ({@link LocalTransport}): checked as over HTTP, its frames read by the caller. */
    WatchStreamer.Frames watchFrames(Exchange x) {
        return watches.frames(prepareWatch(x));
    }

    private void serve(Exchange x) throws IOException {
        String method = x.method();
        String path = x.path();
        Fields query = x.query();
        String accept = header(x, "Accept");
        MediaTypes.Answer answer = MediaTypes.answer(accept);
        Semaphore limit = null;
        try {
            UserInfo user = authenticate(x);
            boolean watch = QueryFlag.isSet(query, "watch");
            Optional<RequestInfo> parsed = RequestInfo.parse(method, path, watch);
            RequestInfo info = parsed.orElseGet(() -> RequestInfo.nonResource(method, path));
            boolean longRunning = watch || info.subresource().equals("log");
            if (!longRunning && !isHealthPath(path)) {
                limit = info.verb().equals("get") || info.verb().equals("list") ? readOnlyInFlight : mutatingInFlight;
                if (!limit.tryAcquire()) {
                    limit = null;
                    throw ApiError.tooManyRequests();
                }
            }
            authorize(user, info);
            if (!info.resourceRequest()) {
                serveNonResource(x, path, query, accept);
                return;
            }
            ResourceType type = resolve(info);
            if (info.subresource().equals("proxy") && type.kind().equals("Service") && !info.name().isEmpty()) {
                serveServiceProxy(x, info, path, answer);
                return;
            }
            if (info.subresource().equals("proxy") && type.kind().equals("Node") && !info.name().isEmpty()) {
                String marker = "/nodes/" + info.name() + "/proxy";
                int at = path.indexOf(marker);
                nodeProxy.serve(x.method(), info.name(), at < 0 ? "/" : path.substring(at + marker.length()),
                        Optional.ofNullable(x.rawQuery()), x);
                return;
            }
            if (watch) {
                WatchStreamer.WatchRequest w = watches.prepare(type, info.namespace(), info.name(), query, answer);
                watches.streamHttp(w, x, WatchStreamer.waitsForChunkEnd(header(x, "User-Agent")));
                return;
            }
            RequestContext ctx = new RequestContext(user, query.getValues("dryRun") != null
                    && query.getValues("dryRun").contains("All"), fieldManager(x, query),
                    Optional.ofNullable(query.getValue("fieldValidation")).orElse("Warn"));
            serveResource(x, info, type, query, answer, ctx, user);
        } catch (ApiError e) {
            writeError(x, e, answer);
        } catch (SelectorException e) {
            writeError(x, ApiError.badRequest(e.getMessage()), answer);
        } catch (io.kube4j.api.storage.StoreTimeoutException e) {
            // As kube-apiserver's etcd timeouts: the write may still take effect; the client must read to know.
            log.warn("{} {}: storage timed out: {}", method, path, e.getMessage());
            writeError(x, ApiError.timeout("Timeout: request did not complete within the storage's timeout ("
                    + e.getMessage() + "); it may still take effect"), answer);
        } catch (io.kube4j.api.storage.StoreException e) {
            // The store is down or cut off (etcd without quorum, say). A write either took effect whole or not at
            // all (after a timeout the client cannot tell which: it reads again or retries).
            log.warn("{} {}: storage unavailable: {}", method, path, e.getMessage());
            writeError(x, ApiError.unavailable("storage is unavailable: " + e.getMessage()), answer);
        } catch (RuntimeException e) {
            log.error("{} {} failed", method, path, e);
            writeError(x, ApiError.internal(String.valueOf(e.getMessage())), answer);
        } finally {
            if (limit != null) {
                limit.release();
            }
        }
    }

    // ------------------------------------------------------------------ auth

    private UserInfo authenticate(Exchange x) {
        AuthenticationRequest ar = new AuthenticationRequest(x.headers(), x.remoteAddress(), List.of(), x.path());
        for (Authenticator a : authenticators) {
            AuthenticationResult r = a.authenticate(ar);
            if (r instanceof AuthenticationResult.Authenticated ok) {
                return ok.user();
            }
            if (r instanceof AuthenticationResult.Rejected) {
                throw ApiError.unauthorized();
            }
        }
        throw ApiError.unauthorized();
    }

    private void authorize(UserInfo user, RequestInfo info) {
        AuthorizationAttributes attrs = new AuthorizationAttributes(user, info.verb(), info.resourceRequest(),
                info.group(), info.version(), info.resource(), info.subresource(), info.namespace(), info.name(),
                info.path());
        AuthorizationDecision d = decide(attrs);
        if (d.decision() != AuthorizationDecision.Decision.ALLOW) {
            throw ApiError.forbidden(forbiddenMessage(attrs, d.reason()));
        }
    }

    /** The first ALLOW or DENY of the configured authorizers; NO_OPINION when none decides. */
    AuthorizationDecision decide(AuthorizationAttributes attrs) {
        for (Authorizer a : authorizers) {
            AuthorizationDecision d = a.authorize(attrs);
            if (d.decision() != AuthorizationDecision.Decision.NO_OPINION) {
                return d;
            }
        }
        return AuthorizationDecision.noOpinion();
    }

    private static String forbiddenMessage(AuthorizationAttributes a, String reason) {
        String suffix = reason.isEmpty() ? "" : ": " + reason;
        if (!a.resourceRequest()) {
            return "forbidden: User \"" + a.user().name() + "\" cannot " + a.verb() + " path \"" + a.path() + "\"" + suffix;
        }
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
        String where = a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"";
        return (a.name().isEmpty() ? qualified : qualified + " \"" + a.name() + "\"") + " is forbidden: User \""
                + a.user().name() + "\" cannot " + a.verb() + " resource \"" + resource + "\" in API group \""
                + a.apiGroup() + "\"" + where + suffix;
    }

    // ------------------------------------------------------------------ proxy

    /** {@code services/NAME[:PORT]/proxy/PATH}: forwards to an endpoint of the Service, answers what it answered. */
    private void serveServiceProxy(Exchange x, RequestInfo info, String path,
                                   MediaTypes.Answer answer) throws IOException {
        String marker = "/services/" + info.name() + "/proxy";
        int at = path.indexOf(marker);
        String rest = at < 0 ? "/" : path.substring(at + marker.length());
        List<ServiceProxy.Header> headers = new ArrayList<>();
        x.headers().forEach((name, values) -> values.forEach(v -> headers.add(new ServiceProxy.Header(name, v))));
        ServiceProxy.Answer upstream = serviceProxy.forward(info.namespace(), info.name(), x.method(),
                rest.isEmpty() ? "/" : rest, Optional.ofNullable(x.rawQuery()), headers, readBody(x));
        x.status(upstream.code());
        for (ServiceProxy.Header h : upstream.headers()) {
            x.addHeader(h.name(), h.value());
        }
        x.setHeader("Content-Length", Integer.toString(upstream.body().length));
        try (OutputStream out = x.output()) {
            out.write(upstream.body());
        }
    }

    // ------------------------------------------------------------------ resources

    private ResourceType resolve(RequestInfo info) {
        return objects.registry().byResource(info.group(), info.version(), info.resource())
                .orElseThrow(() -> ApiError.notFound("the server could not find the requested resource"));
    }

    private void serveResource(Exchange x, RequestInfo info, ResourceType type, Fields query,
                               MediaTypes.Answer answer, RequestContext ctx, UserInfo user) throws IOException {
        String ns = info.namespace();
        String name = info.name();
        String sub = info.subresource();
        if (type.namespaced() && ns.isEmpty() && !name.isEmpty()) {
            throw ApiError.notFound("the server could not find the requested resource");
        }
        if (!sub.isEmpty() && !type.subresources().contains(sub)) {
            throw ApiError.notFound("the server could not find the requested resource");
        }
        if (!type.verbs().contains(info.verb()) && sub.isEmpty()) {
            throw ApiError.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        if (!type.persisted()) {
            serveReview(x, type, user, answer);
            return;
        }
        if (type.kind().equals("ComponentStatus")) {
            serveComponentStatuses(x, type, name, answer);
            return;
        }
        switch (info.verb()) {
            case "get" -> {
                if (sub.equals("scale")) {
                    respond(x, ctx, 200, objects.getScale(type, ns, name), answer);
                } else if (sub.equals("log") && type.kind().equals("Pod")) {
                    logs.serve(type, ns, name, query, x);
                } else if (sub.isEmpty() || sub.equals("status")) {
                    CachedObject o = objects.get(type, ns, name);
                    writeObject(x, 200, o, type, answer, query);
                } else {
                    throw ApiError.notFound("the server could not find the requested resource");
                }
            }
            case "list" -> {
                ListQuery q = listQuery(type, query);
                ListPage page = objects.list(type, ns, q);
                writeList(x, type, page, answer, query);
            }
            case "create" -> {
                if (sub.equals("binding")) {
                    objects.bind(type, ns, name, readObject(x), ctx);
                    respond(x, ctx, 201, success(), answer);
                } else if (sub.equals("eviction")) {
                    ObjectNode eviction = readObject(x);
                    ObjectNode opts = eviction.path("deleteOptions").isObject()
                            ? (ObjectNode) eviction.path("deleteOptions") : JsonNodeFactory.instance.objectNode();
                    objects.delete(type, ns, name, opts, ctx);
                    respond(x, ctx, 201, success(), answer);
                } else if (!sub.isEmpty() || !name.isEmpty()) {
                    throw ApiError.methodNotAllowed("the server does not allow this method on the requested resource");
                } else {
                    ObjectNode created = objects.create(type, ns, readObject(x), ctx);
                    respondObject(x, ctx, 201, type, created, answer);
                }
            }
            case "update" -> {
                ObjectNode body = readObject(x);
                if (sub.equals("scale")) {
                    respond(x, ctx, 200, objects.updateScale(type, ns, name, body, ctx), answer);
                } else if (sub.equals("finalize")) {
                    respondObject(x, ctx, 200, type, objects.update(type, ns, name, body, "finalize", ctx), answer);
                } else {
                    respondObject(x, ctx, 200, type, objects.update(type, ns, name, body, sub, ctx), answer);
                }
            }
            case "patch" -> {
                String contentType = header(x, "Content-Type");
                PatchType pt = MediaTypes.patchType(contentType)
                        .orElseThrow(() -> ApiError.unsupportedMediaType(contentType == null ? "" : contentType));
                byte[] body = readBody(x);
                boolean force = QueryFlag.isSet(query, "force");
                boolean existed = objects.cache().get(type, ns, name).isPresent();
                ObjectNode result = sub.equals("scale") ? objects.patchScale(type, ns, name, pt, body, ctx)
                        : objects.patch(type, ns, name, pt, body, sub, force, ctx);
                respondObject(x, ctx, pt == PatchType.APPLY && !existed ? 201 : 200, type, result, answer);
            }
            case "delete" -> {
                byte[] body = readBody(x);
                ObjectNode opts = deleteOptions(body, query);
                ObjectService.DeleteOutcome out = objects.delete(type, ns, name, opts, ctx);
                if (out.deletedNow()) {
                    ObjectNode status = success();
                    ObjectNode details = status.putObject("details").put("name", name).put("kind", type.plural())
                            .put("uid", out.object().path("metadata").path("uid").asText());
                    if (!type.group().isEmpty()) {
                        details.put("group", type.group());
                    }
                    respond(x, ctx, 200, type.kind().equals("Pod") || type.kind().equals("Namespace")
                            || type.kind().equals("Service") ? out.object() : status, answer);
                } else {
                    respond(x, ctx, 202, out.object(), answer);
                }
            }
            case "deletecollection" -> {
                ObjectNode opts = deleteOptions(readBody(x), query);
                ListPage page = objects.list(type, ns, listQuery(type, query));
                for (CachedObject o : page.items()) {
                    try {
                        objects.delete(type, o.namespace(), o.name(), opts, ctx);
                    } catch (ApiError e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
                respond(x, ctx, 200, success(), answer);
            }
            default -> throw ApiError.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private ListQuery listQuery(ResourceType type, Fields query) {
        long limit = 0;
        String l = query.getValue("limit");
        if (l != null && !l.isEmpty()) {
            try {
                limit = Long.parseLong(l);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("limit: Invalid value: \"" + l + "\": must be a non-negative integer");
            }
        }
        return new ListQuery(LabelSelector.parse(query.getValue("labelSelector")),
                FieldSelector.parse(query.getValue("fieldSelector"), type.kind()), Math.max(0, limit),
                orEmpty(query.getValue("continue")), orEmpty(query.getValue("resourceVersion")),
                orEmpty(query.getValue("resourceVersionMatch")));
    }

    private ObjectNode deleteOptions(byte[] body, Fields query) {
        ObjectNode opts = JsonNodeFactory.instance.objectNode();
        if (body.length > 0) {
            try {
                JsonNode n = Bodies.yamlOrJson(body);
                if (n instanceof ObjectNode o) {
                    opts = o;
                }
            } catch (IOException e) {
                throw ApiError.badRequest("error decoding DeleteOptions: " + e.getMessage());
            }
        }
        String grace = query.getValue("gracePeriodSeconds");
        if (grace != null) {
            opts.put("gracePeriodSeconds", Long.parseLong(grace));
        }
        String policy = query.getValue("propagationPolicy");
        if (policy != null) {
            opts.put("propagationPolicy", policy);
        }
        return opts;
    }

    private void serveReview(Exchange x, ResourceType type, UserInfo user,
                             MediaTypes.Answer answer) throws IOException {
        ObjectNode review = readObject(x);
        review.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        ObjectNode status = review.putObject("status");
        if (type.kind().equals("SelfSubjectReview")) {
            ObjectNode ui = status.putObject("userInfo").put("username", user.name());
            if (!user.uid().isEmpty()) {
                ui.put("uid", user.uid());
            }
            ArrayNode groups = ui.putArray("groups");
            user.groups().forEach(groups::add);
        } else {
            JsonNode spec = review.path("spec");
            AuthorizationAttributes attrs;
            if (spec.has("nonResourceAttributes")) {
                JsonNode nr = spec.path("nonResourceAttributes");
                attrs = new AuthorizationAttributes(user, nr.path("verb").asText(""), false, "", "", "", "", "", "",
                        nr.path("path").asText(""));
            } else {
                JsonNode ra = spec.path("resourceAttributes");
                attrs = new AuthorizationAttributes(user, ra.path("verb").asText(""), true, ra.path("group").asText(""),
                        ra.path("version").asText(""), ra.path("resource").asText(""), ra.path("subresource").asText(""),
                        ra.path("namespace").asText(""), ra.path("name").asText(""), "");
            }
            AuthorizationDecision d = decide(attrs);
            status.put("allowed", d.decision() == AuthorizationDecision.Decision.ALLOW);
            if (d.decision() == AuthorizationDecision.Decision.DENY) {
                status.put("denied", true);
            }
            if (!d.reason().isEmpty()) {
                status.put("reason", d.reason());
            }
        }
        ObjectNode meta = review.has("metadata") && review.get("metadata").isObject()
                ? (ObjectNode) review.get("metadata") : review.putObject("metadata");
        meta.put("creationTimestamp", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        write(x, 201, review, answer);
    }

    private void serveComponentStatuses(Exchange x, ResourceType type, String name, MediaTypes.Answer answer)
            throws IOException {
        List<ObjectNode> all = componentStatuses.get();
        if (!name.isEmpty()) {
            ObjectNode one = all.stream().filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
                    .orElseThrow(() -> ApiError.notFound(type, name));
            if (answer == MediaTypes.Answer.TABLE) {
                write(x, 200, TableConverter.toTable(type, List.of(one), "", "", "Metadata", clock.instant()),
                        MediaTypes.Answer.JSON);
            } else {
                write(x, 200, one, answer);
            }
            return;
        }
        if (answer == MediaTypes.Answer.TABLE) {
            write(x, 200, TableConverter.toTable(type, all, "", "", "Metadata", clock.instant()), MediaTypes.Answer.JSON);
            return;
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("kind", "ComponentStatusList").put("apiVersion", "v1");
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        all.forEach(items::add);
        write(x, 200, list, answer);
    }

    // ------------------------------------------------------------------ non-resource paths

    private static boolean isHealthPath(String path) {
        return path.startsWith("/healthz") || path.startsWith("/livez") || path.startsWith("/readyz");
    }

    private void serveNonResource(Exchange x, String path, Fields query, String accept)
            throws IOException {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (isHealthPath(p)) {
            serveHealth(x, p, query);
            return;
        }
        switch (p) {
            case "/version" -> writeJson(x, 200, version());
            case "/api" -> {
                if (MediaTypes.wantsAggregatedDiscovery(accept)) {
                    writeBytes(x, 200, Discovery.AGGREGATED_MEDIA_TYPE, mapper.writeValueAsBytes(discovery.aggregated(true)));
                } else {
                    writeJson(x, 200, discovery.coreVersions());
                }
            }
            case "/apis" -> {
                if (MediaTypes.wantsAggregatedDiscovery(accept)) {
                    writeBytes(x, 200, Discovery.AGGREGATED_MEDIA_TYPE, mapper.writeValueAsBytes(discovery.aggregated(false)));
                } else {
                    writeJson(x, 200, discovery.groups());
                }
            }
            case "/openapi/v2" -> writeBytes(x, 200, "application/json", openApi.v2());
            case "/openapi/v3" -> writeBytes(x, 200, "application/json", openApi.v3Index());
            case "/" -> {
                ObjectNode paths = JsonNodeFactory.instance.objectNode();
                ArrayNode arr = paths.putArray("paths");
                for (String s : List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3",
                        "/readyz", "/version")) {
                    arr.add(s);
                }
                writeJson(x, 200, paths);
            }
            default -> {
                if (p.startsWith("/openapi/v3/")) {
                    byte[] doc = openApi.v3(p.substring("/openapi/v3/".length()))
                            .orElseThrow(() -> ApiError.notFound("the server could not find the requested resource"));
                    writeBytes(x, 200, "application/json", doc);
                    return;
                }
                Optional<ObjectNode> doc = discoveryDocument(p);
                writeJson(x, 200, doc.orElseThrow(() -> ApiError.notFound("the server could not find the requested resource")));
            }
        }
    }

    private Optional<ObjectNode> discoveryDocument(String p) {
        String[] parts = p.split("/");
        if (parts.length == 3 && parts[1].equals("api")) {
            return discovery.resources("", parts[2]);
        }
        if (parts.length == 3 && parts[1].equals("apis")) {
            return discovery.group(parts[2]);
        }
        if (parts.length == 4 && parts[1].equals("apis")) {
            return discovery.resources(parts[2], parts[3]);
        }
        return Optional.empty();
    }

    private void serveHealth(Exchange x, String path, Fields query) throws IOException {
        Map<String, Boolean> checks = new LinkedHashMap<>(healthChecks.get());
        String[] parts = path.split("/");
        if (parts.length > 2) {
            String check = parts[2];
            Boolean ok = checks.get(check);
            if (ok == null) {
                throw ApiError.notFound("the server could not find the requested resource");
            }
            writeText(x, ok ? 200 : 500, ok ? "ok" : "[-]" + check + " failed: reason withheld\n");
            return;
        }
        boolean healthy = checks.values().stream().allMatch(Boolean::booleanValue);
        if (query.getValue("verbose") != null || !healthy) {
            StringBuilder sb = new StringBuilder();
            checks.forEach((k, v) -> sb.append(v ? "[+]" : "[-]").append(k).append(v ? " ok" : " failed: reason withheld").append('\n'));
            sb.append(parts[1]).append(healthy ? " check passed\n" : " check failed\n");
            writeText(x, healthy ? 200 : 500, sb.toString());
        } else {
            writeText(x, 200, "ok");
        }
    }

    private static ObjectNode version() {
        return JsonNodeFactory.instance.objectNode().put("major", "1").put("minor", "32")
                .put("gitVersion", "v1.32.0-kube4j").put("gitCommit", "kube4j").put("gitTreeState", "clean")
                .put("buildDate", "2026-01-01T00:00:00Z").put("goVersion", "java" + Runtime.version().feature())
                .put("compiler", "javac").put("platform", System.getProperty("os.name").toLowerCase(Locale.ROOT)
                        + "/" + ("amd64".equals(System.getProperty("os.arch")) ? "amd64" : System.getProperty("os.arch")));
    }

    // ------------------------------------------------------------------ bodies

    private static String header(Exchange x, String name) {
        return x.header(name);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String fieldManager(Exchange x, Fields query) {
        String fm = query.getValue("fieldManager");
        if (fm != null && !fm.isEmpty()) {
            return fm;
        }
        String ua = x.header("User-Agent");
        if (ua == null || ua.isEmpty()) {
            return "unknown";
        }
        int slash = ua.indexOf('/');
        return slash > 0 ? ua.substring(0, slash) : ua;
    }

    private static byte[] readBody(Exchange x) throws IOException {
        long declared = x.declaredLength();
        try (InputStream in = x.body()) {
            if (declared > MAX_BODY_BYTES) {
                drain(in);
                throw ApiError.tooLarge(MAX_BODY_BYTES);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    drain(in);
                    throw ApiError.tooLarge(MAX_BODY_BYTES);
                }
            }
            return out.toByteArray();
        }
    }

    /** How much of a refused body is read (and dropped) before the 413: beyond it the connection just ends. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    /**
     * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}: the client has then sent it
     * all when the 413 comes, and closing the connection after it does not reset the answer under the client.
     */
    private static void drain(InputStream in) {
        byte[] buf = new byte[65536];
        long total = 0;
        try {
            int n;
            while (total < DRAIN_LIMIT && (n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client gave up sending: it gets the 413 if it still reads
        }
    }

    private ObjectNode readObject(Exchange x) throws IOException {
        byte[] body = readBody(x);
        String ct = header(x, "Content-Type");
        if (body.length == 0) {
            throw ApiError.badRequest("the body of the request was empty");
        }
        if (MediaTypes.isProtobuf(ct)) {
            try {
                return ProtobufCodec.decode(body);
            } catch (ProtobufException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        }
        if (ct != null && !ct.isEmpty()) {
            String base = ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (!base.equals("application/json") && !base.equals("application/yaml") && !base.equals("*/*")
                    && !base.equals("text/plain") && !base.equals("application/x-www-form-urlencoded")) {
                throw ApiError.unsupportedMediaType(ct);
            }
        }
        try {
            JsonNode n = Bodies.yamlOrJson(body);
            if (!(n instanceof ObjectNode o)) {
                throw ApiError.badRequest("Object 'Kind' is missing in '" + abbreviate(body) + "'");
            }
            return o;
        } catch (IOException e) {
            throw ApiError.badRequest("error decoding request body: " + abbreviate(e.getMessage()));
        }
    }

    private static String abbreviate(byte[] body) {
        return abbreviate(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static ObjectNode success() {
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        return s;
    }

    // ------------------------------------------------------------------ responses

    private void writeObject(Exchange x, int code, CachedObject o, ResourceType type, MediaTypes.Answer answer,
                             Fields query) throws IOException {
        if (answer == MediaTypes.Answer.TABLE) {
            ObjectNode table = TableConverter.toTable(type, List.of(o.object()), Long.toString(o.revision()), "",
                    includeObject(query), clock.instant());
            writeJson(x, code, table);
        } else if (answer == MediaTypes.Answer.JSON) {
            writeBytes(x, code, "application/json", o.json());
        } else {
            write(x, code, o.object(), answer);
        }
    }

    private void writeList(Exchange x, ResourceType type, ListPage page, MediaTypes.Answer answer, Fields query)
            throws IOException {
        String rv = Long.toString(page.resourceVersion());
        if (answer == MediaTypes.Answer.TABLE) {
            List<ObjectNode> items = page.items().stream().map(CachedObject::object).toList();
            writeJson(x, 200, TableConverter.toTable(type, items, rv, page.continueToken(), includeObject(query),
                    clock.instant()));
            return;
        }
        if (answer == MediaTypes.Answer.JSON) {
            // Streamed: the items are the cache's own encodings, written one after the other. The length is
            // known before the first byte, so the answer is not chunked: clients read it in one piece.
            byte[] head = ("{\"kind\":\"" + type.listKind() + "\",\"apiVersion\":\"" + type.apiVersion()
                    + "\",\"metadata\":{\"resourceVersion\":\"" + rv + "\""
                    + (page.continueToken().isEmpty() ? "" : ",\"continue\":\"" + page.continueToken() + "\"")
                    + (page.remainingItemCount() < 0 ? "" : ",\"remainingItemCount\":" + page.remainingItemCount())
                    + "},\"items\":[").getBytes(StandardCharsets.UTF_8);
            byte[] tail = "]}".getBytes(StandardCharsets.UTF_8);
            long length = head.length + tail.length + Math.max(0, page.items().size() - 1);
            for (CachedObject o : page.items()) {
                length += o.json().length;
            }
            x.status(200);
            x.setHeader("Content-Type", "application/json");
            x.setHeader("Content-Length", Long.toString(length));
            x.setHeader("Cache-Control", "no-cache, private");
            try (OutputStream out = new java.io.BufferedOutputStream(x.output(), 64 * 1024)) {
                out.write(head);
                boolean first = true;
                for (CachedObject o : page.items()) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    out.write(o.json());
                }
                out.write(tail);
            }
            return;
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        ObjectNode meta = list.putObject("metadata").put("resourceVersion", rv);
        if (!page.continueToken().isEmpty()) {
            meta.put("continue", page.continueToken());
        }
        if (page.remainingItemCount() >= 0) {
            meta.put("remainingItemCount", page.remainingItemCount());
        }
        ArrayNode items = list.putArray("items");
        page.items().forEach(o -> items.add(o.object()));
        write(x, 200, list, answer);
    }

    static String includeObject(Fields query) {
        String v = query.getValue("includeObject");
        return v == null || v.isEmpty() ? "Metadata" : v;
    }

    private void write(Exchange x, int code, ObjectNode body, MediaTypes.Answer answer) throws IOException {
        if (answer == MediaTypes.Answer.PROTOBUF && ProtobufCodec.supports(body.path("apiVersion").asText(),
                body.path("kind").asText())) {
            try {
                writeBytes(x, code, ProtobufCodec.MEDIA_TYPE, ProtobufCodec.encode(body));
                return;
            } catch (ProtobufException e) {
                log.warn("cannot encode {} as protobuf, answering JSON: {}", body.path("kind").asText(), e.getMessage());
            }
        }
        if (answer == MediaTypes.Answer.YAML) {
            writeBytes(x, code, "application/yaml", YAML.writeValueAsBytes(body));
            return;
        }
        writeJson(x, code, body);
    }

    /** Writes a successful answer with the request's warnings as {@code Warning: 299} headers. */
    private void respond(Exchange x, RequestContext ctx, int code, ObjectNode body, MediaTypes.Answer answer)
            throws IOException {
        for (String w : ctx.warnings()) {
            x.addHeader("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        write(x, code, body, answer);
    }

    /**
     * Answers a write with the object written. When the cache already holds that very version (it
     * has, once the write returned) the answer is the cache's JSON, not a new encoding of the tree.
     */
    private void respondObject(Exchange x, RequestContext ctx, int code, ResourceType type, ObjectNode body,
                               MediaTypes.Answer answer) throws IOException {
        if (answer == MediaTypes.Answer.JSON && !ctx.dryRun() && ctx.warnings().isEmpty()
                && type.kind().equals(body.path("kind").asText())) {
            JsonNode meta = body.path("metadata");
            Optional<CachedObject> cached = objects.cache().get(type, meta.path("namespace").asText(""),
                    meta.path("name").asText(""));
            if (cached.isPresent() && Long.toString(cached.get().revision()).equals(meta.path("resourceVersion").asText())) {
                writeBytes(x, code, "application/json", cached.get().json());
                return;
            }
        }
        respond(x, ctx, code, body, answer);
    }

    private void writeError(Exchange x, ApiError e, MediaTypes.Answer answer) {
        try {
            if (e.retryAfterSeconds() > 0) {
                x.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
            }
            if (e.code() == 413) {
                // The rest of the body is left unread, so the connection can't carry another request:
                // say so, or a client may reuse it and find it closed.
                x.setHeader("Connection", "close");
            }
            write(x, e.code(), e.status(), answer == MediaTypes.Answer.TABLE ? MediaTypes.Answer.JSON : answer);
        } catch (IOException | IllegalStateException io) {
            log.debug("cannot write error {}", e.getMessage(), io);
        }
    }

    private void writeJson(Exchange x, int code, JsonNode body) throws IOException {
        writeBytes(x, code, "application/json", mapper.writeValueAsBytes(body));
    }

    private static void writeText(Exchange x, int code, String text) throws IOException {
        writeBytes(x, code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(Exchange x, int code, String contentType, byte[] body) throws IOException {
        x.status(code);
        x.setHeader("Content-Type", contentType);
        x.setHeader("Content-Length", Integer.toString(body.length));
        x.setHeader("Cache-Control", "no-cache, private");
        try (OutputStream out = x.output()) {
            out.write(body);
        }
    }

    /** Stops serving: closes open watches. */
    public void shutdown() {
        watches.close();
        serviceProxy.close();
        nodeProxy.close();
        requests.shutdownNow();
    }
}
