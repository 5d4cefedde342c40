package io.kube4j.apiserver.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.apiserver.allocation.ClusterIpAllocator;
import io.kube4j.apiserver.allocation.NodePortAllocator;
import io.kube4j.apiserver.cache.CachedObject;
import io.kube4j.apiserver.cache.WatchCache;
import io.kube4j.apiserver.defaults.Defaulter;
import io.kube4j.apiserver.patch.ApplyConflictException;
import io.kube4j.apiserver.patch.PatchException;
import io.kube4j.apiserver.patch.Patches;
import io.kube4j.apiserver.patch.ServerSideApply;
import io.kube4j.apiserver.schema.UnknownFields;
import io.kube4j.apiserver.validation.FieldError;
import io.kube4j.apiserver.validation.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The REST storage layer: what create, get, list, update, patch and delete mean for an object,
 * independent of HTTP. Writes go defaulting → mutating admission → validation → validating
 * admission → store (compare-and-swap), then wait until the watch cache has the write, so
 * that whoever reads next sees it.
 */
public final class ObjectService {
    private static final int MAX_RETRIES = 16;
    /** Field manager marker of writes whose managedFields server-side apply has already computed. */
    private static final String APPLIED = "\0apply";
    private static final Duration CACHE_WAIT = Duration.ofSeconds(10);
    /** Kinds whose metadata.generation counts spec changes. */
    private static final Set<String> GENERATION_KINDS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
            "Job", "CronJob", "ReplicationController", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress",
            "PriorityClass", "Pod");

    private final Store store;
    private final WatchCache cache;
    private final ResourceRegistry registry;
    private final ObjectMapper mapper;
    private final AdmissionChain admission;
    private final ClusterIpAllocator clusterIps;
    private final NodePortAllocator nodePorts;
    private final Clock clock;

    public ObjectService(Store store, WatchCache cache, ResourceRegistry registry, ObjectMapper mapper,
                         AdmissionChain admission, ClusterIpAllocator clusterIps, NodePortAllocator nodePorts,
                         Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.clusterIps = requireNonNull(clusterIps, "clusterIps is null");
        this.nodePorts = requireNonNull(nodePorts, "nodePorts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public ResourceRegistry registry() {
        return registry;
    }

    public WatchCache cache() {
        return cache;
    }

    // ------------------------------------------------------------------ reads

    public CachedObject get(ResourceType type, String namespace, String name) {
        return cache.get(type, namespace, name).orElseThrow(() -> ApiError.notFound(type, name));
    }

    public ListPage list(ResourceType type, String namespace, ListQuery query) {
        Predicate<CachedObject> filter = o -> query.labels().matches(o.labels()) && query.fields().matches(o::field);
        if (!query.continueToken().isEmpty()) {
            return continueList(type, namespace, query, filter);
        }
        if (!query.resourceVersion().isEmpty() && !query.resourceVersion().equals("0")) {
            long rv = parseResourceVersion(query.resourceVersion());
            if ("Exact".equals(query.resourceVersionMatch())) {
                return listFromStore(type, namespace, query, filter, rv, "");
            }
            awaitCache(rv);
        }
        WatchCache.Snapshot snap = cache.list(type, namespace, filter, "", query.limit(), unfiltered(query));
        return page(snap.items(), snap.revision(), query.limit(), snap.remaining());
    }

    private ListPage continueList(ResourceType type, String namespace, ListQuery query, Predicate<CachedObject> filter) {
        ContinueToken token = ContinueToken.decode(query.continueToken());
        if (cache.unchangedSince(type, token.revision())) {
            // Nothing of this type changed since the first page: the cache is that snapshot.
            WatchCache.Snapshot snap = cache.list(type, namespace, filter, startAfter(token.startKey()), query.limit(),
                    unfiltered(query));
            if (cache.unchangedSince(type, token.revision())) {
                return page(snap.items(), token.revision(), query.limit(), snap.remaining());
            }
        }
        return listFromStore(type, namespace, query, filter, token.revision(), token.startKey());
    }

    /** kube-apiserver counts the items left after a page only for lists without selectors. */
    private static boolean unfiltered(ListQuery query) {
        return query.labels().isEmpty() && query.fields().isEmpty();
    }

    /** The token's start key is the last key of the previous page plus a NUL: the cache lists after that key. */
    private static String startAfter(String startKey) {
        return startKey.endsWith("\0") ? startKey.substring(0, startKey.length() - 1) : startKey;
    }

    /** A page read from the store at {@code revision}, as kube-apiserver serves continued lists. */
    private ListPage listFromStore(ResourceType type, String namespace, ListQuery query, Predicate<CachedObject> filter,
                                   long revision, String startKey) {
        String prefix = type.namespaced() && !namespace.isEmpty() ? type.keyPrefix() + namespace + "/" : type.keyPrefix();
        List<CachedObject> out = new ArrayList<>();
        String next = startKey.isEmpty() ? prefix : startKey;
        long limit = query.limit();
        try {
            while (true) {
                long batch = limit > 0 ? Math.max(limit + 1, 64) : 0;
                RangeResult r = store.range(new RangeRequest(prefix, next, batch, revision));
                for (KeyValue kv : r.kvs()) {
                    CachedObject o = cache.decode(type, kv.key(), kv.value(), kv.modRevision());
                    if (filter.test(o)) {
                        out.add(o);
                    }
                    next = kv.key() + "\0";
                    if (limit > 0 && out.size() > limit) {
                        return page(out, revision, limit, -1);
                    }
                }
                if (!r.more()) {
                    return page(out, revision, limit, -1);
                }
            }
        } catch (CompactedException e) {
            throw ApiError.gone("The provided continue parameter is too old to display a consistent list result. "
                    + "You can start a new list without the continue parameter.");
        } catch (IllegalArgumentException e) {
            throw ApiError.timeout("Too large resource version: " + revision + ", current: " + store.currentRevision());
        }
    }

    private static ListPage page(List<CachedObject> items, long revision, long limit, long remaining) {
        if (limit > 0 && items.size() > limit) {
            List<CachedObject> shown = items.subList(0, (int) limit);
            String token = new ContinueToken(revision, shown.get(shown.size() - 1).key() + "\0").encode();
            return new ListPage(shown, revision, token, remaining);
        }
        return new ListPage(items, revision, "", -1);
    }

    // ------------------------------------------------------------------ create

    public ObjectNode create(ResourceType type, String namespace, ObjectNode body, RequestContext ctx) {
        ObjectNode obj = body.deepCopy();
        checkTypeMeta(type, obj);
        checkFields(type, obj, ctx);
        ObjectNode meta = metadata(obj);
        setNamespace(type, namespace, meta);
        String name = meta.path("name").asText("");
        boolean generated = name.isEmpty() && !meta.path("generateName").asText("").isEmpty();
        if (name.isEmpty() && !generated) {
            throw ApiError.invalid(type, "", List.of(new FieldError(FieldError.Type.REQUIRED, "metadata.name",
                    TextNode.valueOf(""), "name or generateName is required")));
        }
        Instant now = now();
        meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", now.toString());
        if (GENERATION_KINDS.contains(type.kind())) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        if (type.subresources().contains("status") && !type.kind().equals("Node")) {
            obj.remove("status");
        }
        Defaulter.apply(type, obj);
        for (int attempt = 0; ; attempt++) {
            if (generated) {
                meta.put("name", meta.path("generateName").asText() + randomSuffix());
            }
            name = meta.path("name").asText();
            List<String> allocated = type.kind().equals("Service") ? allocateServiceAddresses(type, obj) : List.of();
            List<Integer> ports = List.of();
            try {
                if (type.kind().equals("Service")) {
                    ports = takeNodePorts(type, obj, Set.of());
                }
                ObjectNode admitted = admitWrite(Operation.CREATE, type, namespace, name, obj, Optional.empty(), ctx);
                validate(type, admitted, Optional.empty(), "");
                admission.validate(request(Operation.CREATE, type, "", namespace, name, Optional.of(admitted),
                        Optional.empty(), ctx));
                ObjectNode toStore = ctx.fieldManager().equals(APPLIED) ? admitted
                        : ServerSideApply.trackUpdate(Optional.empty(), admitted, ctx.fieldManager(), now);
                if (ctx.dryRun()) {
                    releaseAll(allocated, ports, obj);
                    return toStore;
                }
                WriteResult r = store.create(type.key(namespace, name), encode(toStore));
                if (r instanceof WriteResult.Written w) {
                    return stored(toStore, w.kv().modRevision());
                }
                releaseAll(allocated, ports, obj);
                if (!generated || attempt >= 4) {
                    throw ApiError.alreadyExists(type, name);
                }
            } catch (RuntimeException e) {
                releaseAll(allocated, ports, obj);
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ update

    /** PUT of the object ({@code subresource} "") or of its {@code status}. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body, String subresource,
                             RequestContext ctx) {
        ObjectNode in = body.deepCopy();
        checkTypeMeta(type, in);
        ObjectNode meta = metadata(in);
        if (!meta.path("name").asText("").isEmpty() && !meta.path("name").asText().equals(name)) {
            throw ApiError.badRequest("the name of the object (" + meta.path("name").asText()
                    + ") does not match the name on the URL (" + name + ")");
        }
        meta.put("name", name);
        setNamespace(type, namespace, meta);
        String precondition = meta.path("resourceVersion").asText("");
        return guaranteedUpdate(type, namespace, name, precondition, ctx, subresource, current -> in);
    }

    /** Patches the object or its status; JSON, merge, strategic merge or apply. */
    public ObjectNode patch(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
                            String subresource, boolean force, RequestContext ctx) {
        if (patchType == PatchType.APPLY) {
            return apply(type, namespace, name, body, subresource, force, ctx);
        }
        JsonNode patch = parsePatch(body);
        return guaranteedUpdate(type, namespace, name, precondition(patchType, patch), ctx, subresource, current -> {
            try {
                ObjectNode patched = switch (patchType) {
                    case JSON -> Patches.jsonPatch(current, patch);
                    case MERGE -> Patches.mergePatch(current, patch);
                    case STRATEGIC_MERGE -> Patches.strategicMergePatch(current, patch, type.apiVersion(), type.kind());
                    case APPLY -> throw new IllegalStateException("apply is handled apart");
                };
                return patched;
            } catch (PatchException e) {
                throw patchError(e);
            }
        });
    }

    /**
     * The resourceVersion a patch names, which the object must still have (empty: none). A JSON
     * patch names none: its operations apply to whatever version is there.
     */
    private static String precondition(PatchType patchType, JsonNode patch) {
        return patchType != PatchType.JSON ? patch.path("metadata").path("resourceVersion").asText("") : "";
    }

    private ObjectNode apply(ResourceType type, String namespace, String name, byte[] body, String subresource,
                             boolean force, RequestContext ctx) {
        ObjectNode applied = parseObject(body, "apply");
        if (ctx.fieldManager().isEmpty()) {
            throw ApiError.badRequest("PATCH request to apply must have a fieldManager query parameter");
        }
        Optional<CachedObject> live = cache.get(type, namespace, name);
        if (live.isEmpty()) {
            try {
                ObjectNode created = ServerSideApply.apply(Optional.empty(), applied, ctx.fieldManager(), force, now());
                metadata(created).put("name", name);
                RequestContext asApply = ctx.withFieldManager(APPLIED);
                return create(type, namespace, created, asApply);
            } catch (ApplyConflictException e) {
                throw applyConflict(type, name, e);
            } catch (PatchException e) {
                throw patchError(e);
            }
        }
        return guaranteedUpdate(type, namespace, name, "", ctx.withFieldManager(APPLIED), subresource, current -> {
            try {
                return ServerSideApply.apply(Optional.of(current), applied, ctx.fieldManager(), force, now());
            } catch (ApplyConflictException e) {
                throw applyConflict(type, name, e);
            } catch (PatchException e) {
                throw patchError(e);
            }
        });
    }

    /**
     * Reads the current object, lets {@code change} compute the new one, and writes it with
     * compare-and-swap; retries on a lost race unless the caller pinned a resourceVersion.
     */
    private ObjectNode guaranteedUpdate(ResourceType type, String namespace, String name, String precondition,
                                        RequestContext ctx, String subresource, UnaryOperator<ObjectNode> change) {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            CachedObject current = get(type, namespace, name);
            if (!precondition.isEmpty() && !precondition.equals(Long.toString(current.revision()))) {
                throw ApiError.staleVersion(type, name);
            }
            ObjectNode old = current.object();
            ObjectNode proposed = change.apply(old.deepCopy());
            boolean binding = subresource.equals("binding");
            // A binding changes the stored pod by itself, in known fields only: nothing unknown to find.
            if (!binding) {
                checkFields(type, proposed, ctx);
            }
            ObjectNode next = prepareUpdate(type, old, proposed, subresource);
            Operation op = Operation.UPDATE;
            ObjectNode admitted = admitWrite(op, type, namespace, name, next, Optional.of(old), ctx);
            // pods/binding sets spec.nodeName, which a pod update may not: kube's binding storage skips that check.
            validate(type, admitted, Optional.of(old), binding ? "status" : subresource);
            admission.validate(request(op, type, subresource, namespace, name, Optional.of(admitted), Optional.of(old), ctx));
            if (sameObject(old, admitted)) {
                return old.deepCopy();
            }
            boolean service = type.kind().equals("Service") && subresource.isEmpty();
            // a Service that leaves ExternalName gets a cluster IP now, as on create
            List<String> ips = service && clusterIpOf(old).isEmpty() && !isExternalName(admitted)
                    ? allocateServiceAddresses(type, admitted) : List.of();
            List<Integer> taken = List.of();
            try {
                taken = service ? takeNodePorts(type, admitted, NodePortAllocator.nodePorts(old)) : List.of();
            } catch (RuntimeException e) {
                releaseAll(ips, List.of(), admitted);
                throw e;
            }
            try {
                ObjectNode written = writeUpdate(type, name, precondition, ctx, current, old, admitted, binding);
                if (written != null && ctx.dryRun()) {
                    return written;
                }
                if (written != null) {
                    taken = List.of();
                    ips = List.of();
                    if (service) {
                        Set<Integer> freed = new HashSet<>(NodePortAllocator.nodePorts(old));
                        freed.removeAll(NodePortAllocator.nodePorts(written));
                        freed.forEach(p -> nodePorts.release(p, owner(old)));
                        if (isExternalName(written)) {
                            clusterIpOf(old).ifPresent(ip -> clusterIps.release(ip, owner(old)));
                        }
                    }
                    return written;
                }
            } finally {
                releaseAll(ips, taken, admitted);
            }
        }
        throw ApiError.conflict(type, name, "too many concurrent writers; try again");
    }

    /** Writes one attempt of an update; null when it lost a race and should be tried again. */
    private ObjectNode writeUpdate(ResourceType type, String name, String precondition, RequestContext ctx,
                                   CachedObject current, ObjectNode old, ObjectNode admitted, boolean binding) {
        // kube-apiserver's BindingREST writes the pod straight to storage: a binding leaves managedFields alone.
        ObjectNode toStore = ctx.fieldManager().equals(APPLIED) || binding ? admitted
                : ServerSideApply.trackUpdate(Optional.of(old), admitted, ctx.fieldManager(), now());
        if (ctx.dryRun()) {
            return toStore;
        }
        WriteResult r;
        boolean finalize = isDeletionComplete(type, toStore);
        if (finalize) {
            r = store.delete(current.key(), current.revision());
        } else {
            r = store.update(current.key(), encode(toStore), current.revision());
        }
        switch (r) {
            case WriteResult.Written w -> {
                if (finalize) {
                    afterDelete(type, toStore);
                    awaitCache(w.kv().modRevision());
                    return toStore;
                }
                return stored(toStore, w.kv().modRevision());
            }
            case WriteResult.Conflict c -> {
                if (!precondition.isEmpty()) {
                    throw ApiError.staleVersion(type, name);
                }
                awaitCache(c.current().modRevision());
                return null;
            }
            case WriteResult.NotFound n -> throw ApiError.notFound(type, name);
            case WriteResult.AlreadyExists a -> throw ApiError.internal("unexpected AlreadyExists on update");
        }
    }

    /** What kube-apiserver's update strategies do before validation. */
    private ObjectNode prepareUpdate(ResourceType type, ObjectNode old, ObjectNode proposed, String subresource) {
        ObjectNode oldMeta = (ObjectNode) old.path("metadata");
        ObjectNode next;
        if (subresource.equals("binding")) {
            metadata(proposed).remove("resourceVersion");
            return proposed;
        }
        if (subresource.equals("finalize")) {
            // A namespace's finalize subresource changes spec.finalizers and nothing else, as kube's finalize strategy.
            next = old.deepCopy();
            JsonNode finalizers = proposed.path("spec").get("finalizers");
            ((ObjectNode) next.with("spec")).set("finalizers", finalizers == null || !finalizers.isArray()
                    ? JsonNodeFactory.instance.arrayNode() : finalizers.deepCopy());
            return next;
        }
        if (subresource.equals("status")) {
            next = old.deepCopy();
            JsonNode status = proposed.get("status");
            if (status == null) {
                next.remove("status");
            } else {
                next.set("status", status);
            }
            return next;
        }
        next = proposed;
        checkTypeMeta(type, next);
        ObjectNode meta = metadata(next);
        for (String f : List.of("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")) {
            copyField(oldMeta, meta, f);
        }
        if (meta.path("uid").asText("").isEmpty()) {
            copyField(oldMeta, meta, "uid");
        }
        if (!meta.has("managedFields")) {
            copyField(oldMeta, meta, "managedFields");
        }
        meta.remove("resourceVersion");
        if (type.subresources().contains("status") && !type.kind().equals("Node")) {
            JsonNode status = old.get("status");
            if (status == null) {
                next.remove("status");
            } else {
                next.set("status", status.deepCopy());
            }
        }
        if (type.kind().equals("Service")) {
            keepServiceAddresses(old, next);
        }
        Defaulter.apply(type, next);
        if (type.kind().equals("Namespace") && type.group().isEmpty()) {
            // Only the finalize subresource changes spec.finalizers (kube's namespace PrepareForUpdate).
            JsonNode finalizers = old.path("spec").get("finalizers");
            ObjectNode spec = (ObjectNode) next.with("spec");
            if (finalizers == null) {
                spec.remove("finalizers");
            } else {
                spec.set("finalizers", finalizers.deepCopy());
            }
        }
        if (GENERATION_KINDS.contains(type.kind()) && specChanged(old, next)) {
            meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
        }
        return next;
    }

    /**
     * An update that leaves out a Service's allocated addresses keeps them, as kube-apiserver does
     * (a manifest applied with replace usually has no clusterIP).
     */
    private static void keepServiceAddresses(ObjectNode old, ObjectNode next) {
        JsonNode oldSpec = old.path("spec");
        ObjectNode spec = (ObjectNode) next.with("spec");
        if (spec.path("type").asText("").equals("ExternalName")) {
            // kube's dropTypeDependentFields: an ExternalName Service has no cluster IP; the old one is freed on write
            for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
                if (spec.has(f) && spec.get(f).equals(oldSpec.get(f))) {
                    spec.remove(f);
                }
            }
            return;
        }
        for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
            JsonNode v = spec.get(f);
            if ((v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty()) || (v.isArray() && v.isEmpty()))
                    && oldSpec.has(f)) {
                spec.set(f, oldSpec.get(f).deepCopy());
            }
        }
        if (!NodePortAllocator.needsNodePorts(spec)) {
            // kube's dropTypeDependentFields: a type that has no node ports loses those it kept from before
            Set<Integer> before = NodePortAllocator.nodePorts(old);
            for (JsonNode port : spec.path("ports")) {
                if (port instanceof ObjectNode p && before.contains(p.path("nodePort").asInt(0))) {
                    p.remove("nodePort");
                }
            }
            return;
        }
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p && !p.has("nodePort")) {
                for (JsonNode o : oldSpec.path("ports")) {
                    if (o.path("port").asInt() == p.path("port").asInt() && o.has("nodePort")
                            && o.path("protocol").asText("TCP").equals(p.path("protocol").asText("TCP"))) {
                        p.set("nodePort", o.get("nodePort").deepCopy());
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ delete

    /** What a delete did: removed the object now, or marked it for deletion (finalizers, grace period). */
    public record DeleteOutcome(ObjectNode object, boolean deletedNow) {
    }

    public DeleteOutcome delete(ResourceType type, String namespace, String name, ObjectNode options, RequestContext ctx) {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            CachedObject current = get(type, namespace, name);
            ObjectNode old = current.object();
            checkPreconditions(type, name, old, options.path("preconditions"));
            admission.validate(request(Operation.DELETE, type, "", namespace, name, Optional.empty(), Optional.of(old), ctx));
            ObjectNode next = old.deepCopy();
            ObjectNode meta = metadata(next);
            long grace = gracePeriod(type, old, options);
            String policy = options.path("propagationPolicy").asText("");
            if (options.path("orphanDependents").isBoolean()) {
                policy = options.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            if (policy.equals("Orphan")) {
                addFinalizer(meta, "orphan");
            } else if (policy.equals("Foreground")) {
                addFinalizer(meta, "foregroundDeletion");
            }
            boolean hasFinalizers = meta.path("finalizers").size() > 0
                    || (type.kind().equals("Namespace") && next.path("spec").path("finalizers").size() > 0);
            boolean alreadyDeleting = meta.hasNonNull("deletionTimestamp");
            if (!hasFinalizers && grace == 0) {
                if (ctx.dryRun()) {
                    return new DeleteOutcome(old.deepCopy(), true);
                }
                WriteResult r = store.delete(current.key(), current.revision());
                if (r instanceof WriteResult.Written w) {
                    afterDelete(type, old);
                    awaitCache(w.kv().modRevision());
                    return new DeleteOutcome(old.deepCopy(), true);
                }
                if (r instanceof WriteResult.NotFound) {
                    throw ApiError.notFound(type, name);
                }
                awaitCache(((WriteResult.Conflict) r).current().modRevision());
                continue;
            }
            Instant deleteAt = now().plusSeconds(grace);
            if (alreadyDeleting) {
                long oldGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
                if (grace >= oldGrace && sameObject(old, next)) {
                    return new DeleteOutcome(old.deepCopy(), false);
                }
                if (grace < oldGrace) {
                    meta.put("deletionTimestamp", deleteAt.toString());
                    meta.put("deletionGracePeriodSeconds", grace);
                }
            } else {
                meta.put("deletionTimestamp", deleteAt.toString());
                meta.put("deletionGracePeriodSeconds", grace);
            }
            if (type.kind().equals("Namespace")) {
                ((ObjectNode) next.with("status")).put("phase", "Terminating");
            }
            meta.remove("resourceVersion");
            if (ctx.dryRun()) {
                return new DeleteOutcome(next, false);
            }
            WriteResult r = store.update(current.key(), encode(next), current.revision());
            if (r instanceof WriteResult.Written w) {
                return new DeleteOutcome(stored(next, w.kv().modRevision()), false);
            }
            if (r instanceof WriteResult.NotFound) {
                throw ApiError.notFound(type, name);
            }
            awaitCache(((WriteResult.Conflict) r).current().modRevision());
        }
        throw ApiError.conflict(type, name, "too many concurrent writers; try again");
    }

    private long gracePeriod(ResourceType type, ObjectNode old, ObjectNode options) {
        if (!type.kind().equals("Pod")) {
            return 0;
        }
        OptionalLong requested = options.path("gracePeriodSeconds").isNumber()
                ? OptionalLong.of(options.path("gracePeriodSeconds").asLong()) : OptionalLong.empty();
        String phase = old.path("status").path("phase").asText("");
        if (old.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        long grace = requested.orElse(old.path("spec").path("terminationGracePeriodSeconds").asLong(30));
        return Math.max(0, grace);
    }

    private void checkPreconditions(ResourceType type, String name, ObjectNode old, JsonNode preconditions) {
        String uid = preconditions.path("uid").asText("");
        String actualUid = old.path("metadata").path("uid").asText();
        if (!uid.isEmpty() && !uid.equals(actualUid)) {
            throw ApiError.conflict(type, name, "Precondition failed: UID in precondition: " + uid
                    + ", UID in object meta: " + actualUid);
        }
        String rv = preconditions.path("resourceVersion").asText("");
        String actualRv = old.path("metadata").path("resourceVersion").asText();
        if (!rv.isEmpty() && !rv.equals(actualRv)) {
            throw ApiError.conflict(type, name, "Precondition failed: ResourceVersion in precondition: " + rv
                    + ", ResourceVersion in object meta: " + actualRv);
        }
    }

    private boolean isDeletionComplete(ResourceType type, ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        if (!meta.hasNonNull("deletionTimestamp") || meta.path("finalizers").size() > 0) {
            return false;
        }
        if (type.kind().equals("Namespace")) {
            return obj.path("spec").path("finalizers").size() == 0;
        }
        return meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
    }

    private void afterDelete(ResourceType type, ObjectNode old) {
        if (type.kind().equals("Service")) {
            for (int port : NodePortAllocator.nodePorts(old)) {
                nodePorts.release(port, owner(old));
            }
            for (JsonNode ip : old.path("spec").path("clusterIPs")) {
                if (!ip.asText().equals("None")) {
                    clusterIps.release(ip.asText(), owner(old));
                }
            }
            String ip = old.path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None")) {
                clusterIps.release(ip, owner(old));
            }
        }
    }

    // ------------------------------------------------------------------ subresources

    /** The {@code scale} subresource (autoscaling/v1 Scale) of a Deployment, ReplicaSet, StatefulSet or RC. */
    public ObjectNode getScale(ResourceType type, String namespace, String name) {
        return toScale(get(type, namespace, name).object());
    }

    public ObjectNode updateScale(ResourceType type, String namespace, String name, ObjectNode scale, RequestContext ctx) {
        int replicas = scaleReplicas(type, name, scale);
        String precondition = scale.path("metadata").path("resourceVersion").asText("");
        ObjectNode updated = guaranteedUpdate(type, namespace, name, precondition, ctx, "", current -> {
            ((ObjectNode) current.with("spec")).put("replicas", replicas);
            return current;
        });
        return toScale(updated);
    }

    /**
     * Patches the Scale view of the object as it is at each attempt and writes the replicas back, as
     * kube-apiserver does: a write that lands in between is no conflict; only a resourceVersion the
     * patch itself names is a precondition.
     */
    public ObjectNode patchScale(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
                                 RequestContext ctx) {
        if (patchType == PatchType.APPLY) {
            throw ApiError.unsupportedMediaType(patchType.contentType());
        }
        JsonNode patch = parsePatch(body);
        ObjectNode updated = guaranteedUpdate(type, namespace, name, precondition(patchType, patch), ctx, "", current -> {
            ObjectNode patched;
            try {
                patched = patchType == PatchType.JSON ? Patches.jsonPatch(toScale(current), patch)
                        : Patches.mergePatch(toScale(current), patch);
            } catch (PatchException e) {
                throw patchError(e);
            }
            ((ObjectNode) current.with("spec")).put("replicas", scaleReplicas(type, name, patched));
            return current;
        });
        return toScale(updated);
    }

    /** A Scale's {@code spec.replicas}, or 422 when it is not a number of at least 0. */
    private static int scaleReplicas(ResourceType type, String name, ObjectNode scale) {
        if (!scale.path("spec").path("replicas").canConvertToInt() || scale.path("spec").path("replicas").asInt() < 0) {
            throw ApiError.invalid(type, name, List.of(new FieldError(FieldError.Type.INVALID, "spec.replicas",
                    scale.path("spec").path("replicas"), "must be greater than or equal to 0")));
        }
        return scale.path("spec").path("replicas").asInt();
    }

    private ObjectNode toScale(ObjectNode obj) {
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode m = s.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            copyField((ObjectNode) obj.path("metadata"), m, f);
        }
        s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode st = s.putObject("status").put("replicas", obj.path("status").path("replicas").asInt(0));
        String selector = selectorString(obj.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            st.put("selector", selector);
        }
        return s;
    }

    private static String selectorString(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        JsonNode labels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        labels.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                parts.add(e.getKey() + "=" + e.getValue().asText());
            }
        });
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            switch (expr.path("operator").asText()) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> { }
            }
        }
        return String.join(",", parts);
    }

    /** {@code pods/binding}: assigns a pod to a node, once. */
    public void bind(ResourceType pods, String namespace, String name, ObjectNode binding, RequestContext ctx) {
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiError.invalid(pods, name, List.of(new FieldError(FieldError.Type.REQUIRED, "target.name",
                    TextNode.valueOf(""), "")));
        }
        guaranteedUpdate(pods, namespace, name, "", ctx, "binding", current -> {
            String assigned = current.path("spec").path("nodeName").asText("");
            if (!assigned.isEmpty()) {
                throw ApiError.conflict(pods, name, "pod " + name + " is already assigned to node \"" + assigned + "\"");
            }
            if (current.path("metadata").hasNonNull("deletionTimestamp")) {
                throw ApiError.conflict(pods, name, "pod " + name + " is being deleted, cannot be assigned to a host");
            }
            ((ObjectNode) current.with("spec")).put("nodeName", node);
            binding.path("metadata").path("annotations").fields().forEachRemaining(e ->
                    ((ObjectNode) current.with("metadata").with("annotations")).set(e.getKey(), e.getValue()));
            ObjectNode status = (ObjectNode) current.with("status");
            ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                    ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
            ObjectNode scheduled = null;
            for (JsonNode c : conditions) {
                if (c.path("type").asText().equals("PodScheduled")) {
                    scheduled = (ObjectNode) c;
                }
            }
            if (scheduled == null) {
                scheduled = conditions.addObject().put("type", "PodScheduled");
            }
            scheduled.put("status", "True").put("lastTransitionTime", now().toString());
            scheduled.putNull("lastProbeTime");
            scheduled.remove(List.of("reason", "message"));
            return current;
        });
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode admitWrite(Operation op, ResourceType type, String namespace, String name, ObjectNode obj,
                                  Optional<ObjectNode> old, RequestContext ctx) {
        Optional<ObjectNode> result = admission.mutate(request(op, type, "", namespace, name, Optional.of(obj), old, ctx));
        ObjectNode admitted = result.orElse(obj);
        Defaulter.afterAdmission(type, admitted);
        return admitted;
    }

    private AdmissionRequest request(Operation op, ResourceType type, String subresource, String namespace, String name,
                                     Optional<ObjectNode> obj, Optional<ObjectNode> old, RequestContext ctx) {
        return new AdmissionRequest(op, type, subresource, type.namespaced() ? namespace : "", name, obj, old,
                ctx.user(), ctx.dryRun());
    }

    private void validate(ResourceType type, ObjectNode obj, Optional<ObjectNode> old, String subresource) {
        List<FieldError> errors = Validator.validate(type, obj, old, subresource);
        if (!errors.isEmpty()) {
            throw ApiError.invalid(type, obj.path("metadata").path("name").asText(""), errors);
        }
    }

    /** Drops fields the type does not have; Strict makes them an error, Warn a warning (kube's fieldValidation). */
    private static void checkFields(ResourceType type, ObjectNode obj, RequestContext ctx) {
        List<String> unknown = UnknownFields.prune(type.javaType(), obj);
        if (unknown.isEmpty()) {
            return;
        }
        List<String> messages = unknown.stream().map(u -> "unknown field \"" + u + "\"").toList();
        switch (ctx.fieldValidation()) {
            case "Strict" -> throw ApiError.badRequest("strict decoding error: " + String.join(", ", messages));
            case "Warn" -> ctx.warnings().addAll(messages);
            default -> { }
        }
    }

    private void releaseAll(List<String> ips, List<Integer> ports, ObjectNode svc) {
        for (String ip : ips) {
            clusterIps.release(ip, owner(svc));
        }
        for (int port : ports) {
            nodePorts.release(port, owner(svc));
        }
    }

    /** Node ports for a NodePort or LoadBalancer Service; {@code held} are those it already has. */
    private List<Integer> takeNodePorts(ResourceType type, ObjectNode svc, Set<Integer> held) {
        try {
            return nodePorts.allocateFor(svc, held, owner(svc));
        } catch (NodePortAllocator.PortUnavailableException e) {
            throw ApiError.invalid(type, svc.path("metadata").path("name").asText(""), List.of(new FieldError(
                    FieldError.Type.INVALID, e.field(), IntNode.valueOf(e.port()), e.getMessage())));
        } catch (IllegalStateException e) {
            throw ApiError.internal("failed to allocate a nodePort: range is full");
        }
    }

    /** A Service's allocated cluster IP: none for a headless or ExternalName one. */
    private static Optional<String> clusterIpOf(JsonNode svc) {
        String ip = svc.path("spec").path("clusterIP").asText("");
        return ip.isEmpty() || ip.equals("None") ? Optional.empty() : Optional.of(ip);
    }

    private static boolean isExternalName(JsonNode svc) {
        return svc.path("spec").path("type").asText("").equals("ExternalName");
    }

    /** The Service an address is held for: {@code namespace/name}. */
    private static String owner(JsonNode svc) {
        return svc.path("metadata").path("namespace").asText("") + "/" + svc.path("metadata").path("name").asText("");
    }

    private List<String> allocateServiceAddresses(ResourceType type, ObjectNode svc) {
        ObjectNode spec = (ObjectNode) svc.with("spec");
        String requested = spec.path("clusterIP").asText("");
        if (requested.equals("None")) {
            return List.of();
        }
        if (spec.path("type").asText("ClusterIP").equals("ExternalName")) {
            return List.of();
        }
        String name = svc.path("metadata").path("name").asText("");
        String ip;
        if (requested.isEmpty()) {
            try {
                ip = clusterIps.allocate(owner(svc));
            } catch (IllegalStateException e) {
                throw ApiError.internal("failed to allocate a serviceIP: range is full");
            }
        } else {
            try {
                if (!clusterIps.reserve(requested, owner(svc))) {
                    throw ApiError.invalid(type, name, List.of(new FieldError(FieldError.Type.INVALID, "spec.clusterIPs",
                            spec.path("clusterIP"), "failed to allocate IP " + requested + ": provided IP is already allocated")));
                }
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(type, name, List.of(new FieldError(FieldError.Type.INVALID, "spec.clusterIPs",
                        spec.path("clusterIP"), "failed to allocate IP " + requested + ": " + e.getMessage())));
            }
            ip = requested;
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        return List.of(ip);
    }

    private void checkTypeMeta(ResourceType type, ObjectNode obj) {
        String apiVersion = obj.path("apiVersion").asText("");
        String kind = obj.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw ApiError.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiError.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        // kind and apiVersion go first, as kube-apiserver writes them; the other fields move, not copy.
        java.util.Map<String, JsonNode> rest = new java.util.LinkedHashMap<>();
        obj.fields().forEachRemaining(e -> rest.put(e.getKey(), e.getValue()));
        rest.remove("kind");
        rest.remove("apiVersion");
        obj.removeAll();
        obj.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        obj.setAll(rest);
    }

    private static void setNamespace(ResourceType type, String namespace, ObjectNode meta) {
        if (type.namespaced()) {
            String inBody = meta.path("namespace").asText("");
            if (!inBody.isEmpty() && !inBody.equals(namespace)) {
                throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
    }

    static ObjectNode metadata(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        if (m != null && !m.isNull()) {
            throw ApiError.badRequest("metadata must be an object");
        }
        return obj.putObject("metadata");
    }

    private static void addFinalizer(ObjectNode meta, String finalizer) {
        ArrayNode f = meta.has("finalizers") && meta.get("finalizers").isArray()
                ? (ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
        for (JsonNode n : f) {
            if (n.asText().equals(finalizer)) {
                return;
            }
        }
        f.add(finalizer);
    }

    private static void copyField(ObjectNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    private static boolean specChanged(ObjectNode old, ObjectNode next) {
        return !equalExcept(old, next, Set.of("metadata", "status"));
    }

    /** Whether an update changes nothing but what the server sets itself (resourceVersion, managedFields). */
    private static boolean sameObject(ObjectNode old, ObjectNode next) {
        return equalExcept(old, next, Set.of("metadata"))
                && equalExcept(asObject(old.get("metadata")), asObject(next.get("metadata")),
                        Set.of("resourceVersion", "managedFields"));
    }

    /** Whether {@code a} and {@code b} have equal fields, leaving out those named in {@code skip}; copies nothing. */
    private static boolean equalExcept(ObjectNode a, ObjectNode b, Set<String> skip) {
        int compared = 0;
        for (var it = a.fields(); it.hasNext(); ) {
            var e = it.next();
            if (skip.contains(e.getKey())) {
                continue;
            }
            if (!e.getValue().equals(b.get(e.getKey()))) {
                return false;
            }
            compared++;
        }
        int others = 0;
        for (var it = b.fieldNames(); it.hasNext(); ) {
            if (!skip.contains(it.next())) {
                others++;
            }
        }
        return compared == others;
    }

    private static ObjectNode asObject(JsonNode n) {
        return n instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /** The written object, as the client gets it back: the tree is the request's own, so it is marked in place. */
    private ObjectNode stored(ObjectNode obj, long revision) {
        metadata(obj).put("resourceVersion", Long.toString(revision));
        awaitCache(revision);
        return obj;
    }

    private void awaitCache(long revision) {
        try {
            if (!cache.awaitRevision(revision, CACHE_WAIT)) {
                throw ApiError.timeout("Too large resource version: " + revision + ", current: " + cache.revision());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.internal("interrupted");
        }
    }

    private byte[] encode(ObjectNode obj) {
        ObjectNode copy = obj;
        if (obj.path("metadata").has("resourceVersion")) {
            copy = obj.deepCopy();
            metadata(copy).remove("resourceVersion");
        }
        try {
            return mapper.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw ApiError.internal(e.getMessage());
        }
    }

    private JsonNode parsePatch(byte[] body) {
        try {
            JsonNode patch = mapper.readTree(body);
            if (patch == null || patch.isMissingNode()) {
                throw ApiError.badRequest("the body of the request was empty");
            }
            return patch;
        } catch (IOException e) {
            throw ApiError.badRequest("error decoding patch: " + e.getMessage());
        }
    }

    private ObjectNode parseObject(byte[] body, String what) {
        try {
            JsonNode n = Bodies.yamlOrJson(body);
            if (!(n instanceof ObjectNode o)) {
                throw ApiError.badRequest("error decoding " + what + " body: expected an object");
            }
            return o;
        } catch (IOException e) {
            throw ApiError.badRequest("error decoding YAML: " + e.getMessage());
        }
    }

    private static ApiError patchError(PatchException e) {
        return e.code() == 422 ? ApiError.withCode(422, "Invalid", e.getMessage())
                : e.code() == 415 ? ApiError.withCode(415, "UnsupportedMediaType", e.getMessage())
                : ApiError.badRequest(e.getMessage());
    }

    private static ApiError applyConflict(ResourceType type, String name, ApplyConflictException e) {
        List<ApiError.Cause> causes = e.conflicts().stream()
                .map(c -> new ApiError.Cause("FieldManagerConflict", "conflict with \"" + c.manager() + "\"", c.field()))
                .toList();
        return new ApiError(409, "Conflict", e.getMessage(), name, type.group(), type.plural(), causes, 0);
    }

    static long parseResourceVersion(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid resource version: " + rv);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The opaque continue token: the list's revision and the key to start from, as kube-apiserver encodes it. */
    record ContinueToken(long revision, String startKey) {
        String encode() {
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("v", "meta.k8s.io/v1").put("rv", revision)
                    .put("start", startKey);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
        }

        static ContinueToken decode(String token) {
            try {
                JsonNode n = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token));
                if (!n.path("v").asText().equals("meta.k8s.io/v1") || !n.path("rv").canConvertToLong()) {
                    throw new IllegalArgumentException("bad token");
                }
                return new ContinueToken(n.path("rv").asLong(), n.path("start").asText(""));
            } catch (IOException | IllegalArgumentException e) {
                throw ApiError.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }
}
