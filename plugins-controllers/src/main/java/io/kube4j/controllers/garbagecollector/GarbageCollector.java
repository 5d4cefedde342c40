package io.kube4j.controllers.garbagecollector;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.SharedInformer;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.resource.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kube-controller-manager's garbage collector ({@code pkg/controller/garbagecollector}), on the
 * shared informers of every stored type instead of a graph of its own: two indexes per informer
 * (objects by uid, and by the uid of each owner) answer "who is this uid" and "who depends on it".
 *
 * <p>Keys are uids ({@code Request("", uid)}). An object is reconciled when it has owners, when it
 * is being deleted with the {@code orphan} or {@code foregroundDeletion} finalizer, and its
 * dependents are reconciled when it goes away.
 * <ul>
 *   <li>Owners all gone (checked with a live read before acting, since caches lag) or waiting for
 *       their dependents: the object is deleted, in the foreground if an owner waits in the
 *       foreground and the object has dependents of its own, else as its own finalizers say
 *       (Background by default). Some owners still there: only references to the others are removed.</li>
 *   <li>{@code orphan}: the owner reference is removed from every dependent, then the finalizer.</li>
 *   <li>{@code foregroundDeletion}: every dependent is deleted (in the foreground itself when it has
 *       dependents); once no dependent with {@code blockOwnerDeletion} is left, the finalizer is removed
 *       and the API server removes the owner.</li>
 * </ul>
 * Events (both groups) are not watched: they are many and never owned in practice.
 */
final class GarbageCollector implements Controller {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";
    static final String UID_INDEX = "gc.uid";
    static final String OWNER_INDEX = "gc.owner";
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final ApiClient client;
    private final List<ResourceType> types;
    private final Map<ResourceType, Lister<? extends HasMetadata>> listers = new LinkedHashMap<>();

    GarbageCollector(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.types = monitoredTypes(client.registry().all());
        for (ResourceType type : types) {
            listers.put(type, index(context.informers().informerFor(type.javaType())));
        }
    }

    private static <T extends HasMetadata> Lister<T> index(SharedInformer<T> informer) {
        informer.addIndexer(UID_INDEX, o -> uid(o).map(List::of).orElse(List.of()));
        informer.addIndexer(OWNER_INDEX, o -> owners(o).stream().map(OwnerReference::getUid)
                .filter(u -> u != null && !u.isEmpty()).distinct().toList());
        return informer.lister();
    }

    /** Every stored type that can be listed, watched and deleted, once per group and resource; no Events. */
    static List<ResourceType> monitoredTypes(List<ResourceType> all) {
        Map<String, ResourceType> byResource = new LinkedHashMap<>();
        for (ResourceType t : all) {
            if (t.persisted() && t.verbs().containsAll(List.of("list", "watch", "delete")) && !t.kind().equals("Event")) {
                byResource.putIfAbsent(t.qualifiedName(), t);
            }
        }
        return List.copyOf(byResource.values());
    }

    @Override
    public String name() {
        return GarbageCollectorFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        List<WatchSource<?>> sources = new ArrayList<>();
        for (ResourceType type : types) {
            sources.add(source(type.javaType()));
        }
        return sources;
    }

    private <T extends HasMetadata> WatchSource<T> source(Class<T> type) {
        return WatchSource.watches(type, this::keysFor);
    }

    /** The uids to look at after {@code object} changed: see the class comment. Called on informer threads. */
    private List<Request> keysFor(HasMetadata object) {
        Optional<String> uid = uid(object);
        if (uid.isEmpty()) {
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        Optional<HasMetadata> current = find(uid.get());
        if (current.isEmpty() || current.get().getMetadata().getDeletionTimestamp() != null) {
            // Gone or going: its dependents may now be orphans, or must go first.
            dependents(uid.get()).forEach(d -> uid(d).ifPresent(keys::add));
        }
        if (current.isPresent()) {
            HasMetadata o = current.get();
            if (!owners(o).isEmpty() || (o.getMetadata().getDeletionTimestamp() != null
                    && (hasFinalizer(o, ORPHAN) || hasFinalizer(o, FOREGROUND)))) {
                keys.add(uid.get());
            }
        }
        for (OwnerReference ref : owners(object)) {
            // An owner waiting for its dependents wants to know when one goes or lets go.
            find(ref.getUid()).filter(owner -> owner.getMetadata().getDeletionTimestamp() != null
                    && hasFinalizer(owner, FOREGROUND)).ifPresent(owner -> keys.add(ref.getUid()));
        }
        return keys.stream().map(k -> new Request("", k)).toList();
    }

    @Override
    public Result reconcile(Request request) {
        String uid = request.name();
        Optional<Located> located = locate(uid);
        if (located.isEmpty()) {
            return Result.done();
        }
        HasMetadata object = located.get().object();
        ResourceType type = located.get().type();
        if (object.getMetadata().getDeletionTimestamp() != null) {
            if (hasFinalizer(object, ORPHAN)) {
                orphanDependents(uid);
                removeFinalizer(type, object, ORPHAN);
                return Result.done();
            }
            if (hasFinalizer(object, FOREGROUND)) {
                return deleteDependentsFirst(type, object);
            }
            return Result.done();
        }
        if (!owners(object).isEmpty()) {
            attemptToDelete(type, object);
        }
        return Result.done();
    }

    /** Deletes an object whose owners are all gone or waiting for it; otherwise drops references to those. */
    private void attemptToDelete(ResourceType type, HasMetadata object) {
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        String namespace = namespace(object);
        for (OwnerReference ref : owners(object)) {
            switch (ownerState(ref, namespace)) {
                case SOLID -> solid.add(ref);
                case DANGLING -> dangling.add(ref);
                case WAITING -> waiting.add(ref);
            }
        }
        if (!solid.isEmpty()) {
            if (!dangling.isEmpty() || !waiting.isEmpty()) {
                Set<String> drop = new LinkedHashSet<>();
                dangling.forEach(r -> drop.add(r.getUid()));
                waiting.forEach(r -> drop.add(r.getUid()));
                removeOwnerReferences(type, object, drop);
            }
            return;
        }
        String policy;
        if (!waiting.isEmpty() && !dependents(uid(object).orElseThrow()).isEmpty()) {
            policy = "Foreground";
        } else if (hasFinalizer(object, ORPHAN)) {
            policy = "Orphan";
        } else if (hasFinalizer(object, FOREGROUND)) {
            policy = "Foreground";
        } else {
            policy = "Background";
        }
        log.debug("deleting {} {}/{}: its owners are gone ({} propagation)", type.kind(), namespace,
                object.getMetadata().getName(), policy);
        delete(type, object, policy);
    }

    private enum OwnerState { SOLID, DANGLING, WAITING }

    /** Whether an owner exists, reading the API server when the caches do not have it. */
    private OwnerState ownerState(OwnerReference ref, String dependentNamespace) {
        Optional<HasMetadata> owner = find(ref.getUid());
        if (owner.isEmpty()) {
            Optional<ResourceType> type = typeOf(ref);
            if (type.isEmpty()) {
                // A kind this API server does not serve: keep the dependent, as kube does for unknown kinds.
                log.debug("owner {} {} of unknown kind: left alone", ref.getKind(), ref.getName());
                return OwnerState.SOLID;
            }
            String ns = type.get().namespaced() ? dependentNamespace : "";
            owner = client.get(type.get().javaType(), ns, ref.getName()).map(o -> (HasMetadata) o)
                    .filter(o -> ref.getUid().equals(o.getMetadata().getUid()));
            if (owner.isEmpty()) {
                return OwnerState.DANGLING;
            }
        }
        HasMetadata o = owner.get();
        return o.getMetadata().getDeletionTimestamp() != null && hasFinalizer(o, FOREGROUND)
                ? OwnerState.WAITING : OwnerState.SOLID;
    }

    /** Foreground: delete the dependents; drop the finalizer once no blocking dependent is left. */
    private Result deleteDependentsFirst(ResourceType type, HasMetadata owner) {
        String uid = uid(owner).orElseThrow();
        boolean blocked = false;
        for (HasMetadata dependent : dependents(uid)) {
            Optional<Located> d = locate(uid(dependent).orElseThrow());
            if (d.isEmpty()) {
                continue;
            }
            if (dependent.getMetadata().getDeletionTimestamp() == null) {
                attemptToDelete(d.get().type(), dependent);
            }
            boolean blocks = owners(dependent).stream().anyMatch(r -> uid.equals(r.getUid())
                    && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
            blocked |= blocks;
        }
        if (blocked) {
            return Result.requeueAfter(RECHECK);
        }
        removeFinalizer(type, owner, FOREGROUND);
        return Result.done();
    }

    private void orphanDependents(String ownerUid) {
        for (HasMetadata dependent : dependents(ownerUid)) {
            locate(uid(dependent).orElseThrow()).ifPresent(d -> removeOwnerReferences(d.type(), d.object(), Set.of(ownerUid)));
        }
    }

    private void removeOwnerReferences(ResourceType type, HasMetadata object, Set<String> uids) {
        Optional<? extends HasMetadata> live = client.get(type.javaType(), namespace(object), object.getMetadata().getName());
        if (live.isEmpty() || !live.get().getMetadata().getUid().equals(object.getMetadata().getUid())) {
            return;
        }
        HasMetadata copy = live.get();
        List<OwnerReference> kept = owners(copy).stream().filter(r -> !uids.contains(r.getUid())).toList();
        if (kept.size() == owners(copy).size()) {
            return;
        }
        copy.getMetadata().setOwnerReferences(kept.isEmpty() ? null : new ArrayList<>(kept));
        try {
            client.update(copy);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private void removeFinalizer(ResourceType type, HasMetadata object, String finalizer) {
        Optional<? extends HasMetadata> live = client.get(type.javaType(), namespace(object), object.getMetadata().getName());
        if (live.isEmpty() || !live.get().getMetadata().getUid().equals(object.getMetadata().getUid())
                || !hasFinalizer(live.get(), finalizer)) {
            return;
        }
        HasMetadata copy = live.get();
        List<String> kept = copy.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList();
        copy.getMetadata().setFinalizers(new ArrayList<>(kept));
        try {
            client.update(copy);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private void delete(ResourceType type, HasMetadata object, String policy) {
        try {
            client.delete(type.javaType(), namespace(object), object.getMetadata().getName(),
                    new DeleteOptions(java.util.OptionalLong.empty(), policy, ""));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private Optional<ResourceType> typeOf(OwnerReference ref) {
        String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return types.stream().filter(t -> t.group().equals(group) && t.kind().equals(ref.getKind())).findFirst();
    }

    private record Located(ResourceType type, HasMetadata object) {
    }

    private Optional<Located> locate(String uid) {
        if (uid == null || uid.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<ResourceType, Lister<? extends HasMetadata>> e : listers.entrySet()) {
            List<? extends HasMetadata> found = e.getValue().byIndex(UID_INDEX, uid);
            if (!found.isEmpty()) {
                return Optional.of(new Located(e.getKey(), found.getFirst()));
            }
        }
        return Optional.empty();
    }

    private Optional<HasMetadata> find(String uid) {
        return locate(uid).map(Located::object);
    }

    private List<HasMetadata> dependents(String ownerUid) {
        List<HasMetadata> result = new ArrayList<>();
        for (Lister<? extends HasMetadata> lister : listers.values()) {
            result.addAll(lister.byIndex(OWNER_INDEX, ownerUid));
        }
        return result;
    }

    private static Optional<String> uid(HasMetadata object) {
        String uid = object.getMetadata() == null ? null : object.getMetadata().getUid();
        return uid == null || uid.isEmpty() ? Optional.empty() : Optional.of(uid);
    }

    private static List<OwnerReference> owners(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }

    private static boolean hasFinalizer(HasMetadata object, String finalizer) {
        List<String> f = object.getMetadata().getFinalizers();
        return f != null && f.contains(finalizer);
    }

    private static String namespace(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null ? "" : ns;
    }
}
