package io.kube4j.controllers.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.controller.SharedInformer;
import io.kube4j.api.controller.SharedInformerFactory;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.resource.ResourceRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A synchronous, in-memory stand-in for the API server and the controller-manager, for unit tests of
 * reconcile logic: writes go to maps, informer handlers run inside the write, listers read the maps
 * (so the cache never lags), time is a {@link FakeClock}. Writes keep the API server's rules that
 * controllers depend on: {@code generateName}, uid, resourceVersion conflicts, {@code generation}
 * bumped by spec changes, status only through {@code updateStatus}, finalizers holding deletion.
 */
public final class FakeCluster implements ControllerContext {
    private static final ObjectMapper JSON = HttpApiClient.mapper();

    /** A delete the client was asked for. */
    public record Deletion(String kind, String namespace, String name, String propagationPolicy) {
    }

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<Class<?>, TreeMap<String, HasMetadata>> objects = new HashMap<>();
    private final Map<Class<?>, FakeInformer<?>> informers = new HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    private final Client client = new Client();
    private long resourceVersion = 1;
    private long names;

    public FakeClock fakeClock() {
        return clock;
    }

    /** Every Event recorded, as {@code "Reason message"}. */
    public List<String> events() {
        return List.copyOf(events);
    }

    public List<Deletion> deletions() {
        return List.copyOf(deletions);
    }

    /** Every stored object of {@code type} in {@code namespace}, by name. */
    public <T extends HasMetadata> List<T> all(Class<T> type, String namespace) {
        return client.list(type, ListOptions.inNamespace(namespace)).items();
    }

    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return client.get(type, namespace, name).orElseThrow(() -> new AssertionError("no " + namespace + "/" + name));
    }

    @Override
    public ApiClient client() {
        return client;
    }

    @Override
    public SharedInformerFactory informers() {
        return this::informer;
    }

    @Override
    public EventRecorder eventRecorder() {
        return (regarding, type, reason, format, args) -> events.add(reason + " " + String.format(format, args));
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public Path dataDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T extends HasMetadata> FakeInformer<T> informer(Class<T> type) {
        return (FakeInformer<T>) informers.computeIfAbsent(type, t -> new FakeInformer<>(type));
    }

    private synchronized TreeMap<String, HasMetadata> store(Class<?> type) {
        return objects.computeIfAbsent(type, t -> new TreeMap<>());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String namespace(HasMetadata o) {
        return o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
    }

    @SuppressWarnings("unchecked")
    private static <T> T copy(T object) {
        return (T) JSON.convertValue(JSON.valueToTree(object), object.getClass());
    }

    private static ApiException error(int code, String reason, String message) {
        return new ApiException(code, new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build());
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> List<ResourceEventHandler<T>> handlers(Class<T> type) {
        FakeInformer<T> informer;
        synchronized (this) {
            informer = (FakeInformer<T>) informers.get(type);
        }
        return informer == null ? List.of() : informer.handlers;
    }

    /** A settable clock. */
    public static final class FakeClock extends Clock {
        private volatile Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        public void set(Instant instant) {
            now = instant;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final class FakeInformer<T extends HasMetadata> implements SharedInformer<T> {
        private final Class<T> type;
        private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
        private final Map<String, IndexFunction<T>> indexers = new HashMap<>();

        FakeInformer(Class<T> type) {
            this.type = type;
        }

        @Override
        public Lister<T> lister() {
            return new Lister<>() {
                @Override
                public Optional<T> get(String namespace, String name) {
                    return client.get(type, namespace, name);
                }

                @Override
                public List<T> list() {
                    return client.list(type, ListOptions.ALL).items();
                }

                @Override
                public List<T> byIndex(String indexName, String value) {
                    if (NAMESPACE_INDEX.equals(indexName)) {
                        return client.list(type, ListOptions.inNamespace(value)).items();
                    }
                    IndexFunction<T> f = requireNonNull(indexers.get(indexName), "unknown index " + indexName);
                    return list().stream().filter(o -> f.index(o).contains(value)).toList();
                }
            };
        }

        @Override
        public void addEventHandler(ResourceEventHandler<T> handler) {
            handlers.add(handler);
        }

        @Override
        public void addIndexer(String indexName, IndexFunction<T> function) {
            indexers.put(indexName, function);
        }

        @Override
        public boolean hasSynced() {
            return true;
        }
    }

    private final class Client implements ApiClient {

        @Override
        public ResourceRegistry registry() {
            throw new UnsupportedOperationException("registry");
        }

        @Override
        public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
            synchronized (FakeCluster.this) {
                HasMetadata o = store(type).get(key(namespace, name));
                return o == null ? Optional.empty() : Optional.of(type.cast(copy(o)));
            }
        }

        @Override
        public <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options) {
            Map<String, String> selector = new HashMap<>();
            if (!options.labelSelector().isEmpty()) {
                for (String term : options.labelSelector().split(",")) {
                    String[] kv = term.split("=", 2);
                    selector.put(kv[0].trim(), kv[1].trim());
                }
            }
            List<T> items = new ArrayList<>();
            synchronized (FakeCluster.this) {
                for (HasMetadata o : store(type).values()) {
                    Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
                    if ((options.namespace().isEmpty() || options.namespace().equals(namespace(o)))
                            && labels.entrySet().containsAll(selector.entrySet())) {
                        items.add(type.cast(copy(o)));
                    }
                }
                return new ObjectList<>(items, Long.toString(resourceVersion), "");
            }
        }

        @Override
        public <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener) {
            throw new UnsupportedOperationException("watch");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends HasMetadata> T create(T object) {
            T created = copy(object);
            var meta = created.getMetadata();
            synchronized (FakeCluster.this) {
                if (meta.getName() == null || meta.getName().isEmpty()) {
                    meta.setName(meta.getGenerateName() + String.format("%05d", ++names));
                }
                TreeMap<String, HasMetadata> store = store(created.getClass());
                if (store.containsKey(key(namespace(created), meta.getName()))) {
                    throw error(409, "AlreadyExists", created.getKind() + " " + meta.getName() + " already exists");
                }
                meta.setUid(UUID.randomUUID().toString());
                meta.setResourceVersion(Long.toString(++resourceVersion));
                meta.setCreationTimestamp(clock.instant().toString());
                meta.setGeneration(1L);
                meta.setDeletionTimestamp(null);
                store.put(key(namespace(created), meta.getName()), created);
            }
            handlers((Class<T>) created.getClass()).forEach(h -> h.onAdd(copy(created)));
            return copy(created);
        }

        @Override
        public <T extends HasMetadata> T update(T object) {
            return write(object, false);
        }

        @Override
        public <T extends HasMetadata> T updateStatus(T object) {
            return write(object, true);
        }

        @SuppressWarnings("unchecked")
        private <T extends HasMetadata> T write(T object, boolean status) {
            Class<T> type = (Class<T>) object.getClass();
            T old;
            T updated;
            boolean gone;
            synchronized (FakeCluster.this) {
                TreeMap<String, HasMetadata> store = store(type);
                String key = key(namespace(object), object.getMetadata().getName());
                HasMetadata stored = store.get(key);
                if (stored == null) {
                    throw error(404, "NotFound", key + " not found");
                }
                String rv = object.getMetadata().getResourceVersion();
                if (rv != null && !rv.isEmpty() && !rv.equals(stored.getMetadata().getResourceVersion())) {
                    throw error(409, "Conflict", "the object has been modified");
                }
                old = type.cast(stored);
                ObjectNode oldTree = JSON.valueToTree(stored);
                ObjectNode newTree = JSON.valueToTree(object);
                ObjectNode result = oldTree.deepCopy();
                if (status) {
                    setOrRemove(result, "status", newTree.get("status"));
                } else {
                    for (var fields = newTree.fieldNames(); fields.hasNext(); ) {
                        String field = fields.next();
                        if (!field.equals("status") && !field.equals("metadata")) {
                            result.set(field, newTree.get(field));
                        }
                    }
                    ObjectNode meta = (ObjectNode) newTree.get("metadata");
                    ObjectNode oldMeta = (ObjectNode) oldTree.get("metadata");
                    for (String kept : List.of("uid", "creationTimestamp", "generation", "deletionTimestamp", "resourceVersion")) {
                        setOrRemove(meta, kept, oldMeta.get(kept));
                    }
                    result.set("metadata", meta);
                    if (!Objects.equals(oldTree.get("spec"), newTree.get("spec"))) {
                        meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
                    }
                }
                ((ObjectNode) result.get("metadata")).put("resourceVersion", Long.toString(++resourceVersion));
                updated = JSON.convertValue(result, type);
                gone = updated.getMetadata().getDeletionTimestamp() != null
                        && (updated.getMetadata().getFinalizers() == null || updated.getMetadata().getFinalizers().isEmpty());
                if (gone) {
                    store.remove(key);
                } else {
                    store.put(key, updated);
                }
            }
            T seen = updated;
            handlers(type).forEach(h -> {
                if (gone) {
                    h.onDelete(copy(seen), false);
                } else {
                    h.onUpdate(copy(old), copy(seen));
                }
            });
            return copy(updated);
        }

        private static void setOrRemove(ObjectNode node, String field, JsonNode value) {
            if (value == null || value.isNull()) {
                node.remove(field);
            } else {
                node.set(field, value);
            }
        }

        @Override
        public <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType, String patch,
                                               String subresource) {
            throw new UnsupportedOperationException("patch");
        }

        @Override
        public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options) {
            T stored;
            synchronized (FakeCluster.this) {
                HasMetadata o = store(type).get(key(namespace, name));
                if (o == null) {
                    throw error(404, "NotFound", namespace + "/" + name + " not found");
                }
                if (!options.preconditionUid().isEmpty() && !options.preconditionUid().equals(o.getMetadata().getUid())) {
                    throw error(409, "Conflict", "uid precondition failed");
                }
                stored = type.cast(o);
                deletions.add(new Deletion(o.getKind(), namespace, name, options.propagationPolicy()));
                if (o.getMetadata().getFinalizers() != null && !o.getMetadata().getFinalizers().isEmpty()) {
                    T marked = copy(stored);
                    marked.getMetadata().setDeletionTimestamp(clock.instant().toString());
                    marked.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
                    store(type).put(key(namespace, name), marked);
                    T old = stored;
                    handlers(type).forEach(h -> h.onUpdate(copy(old), copy(marked)));
                    return true;
                }
                store(type).remove(key(namespace, name));
            }
            handlers(type).forEach(h -> h.onDelete(copy(stored), false));
            return true;
        }

        @Override
        public JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
            throw new UnsupportedOperationException("subresource");
        }

        @Override
        public JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource,
                                          Object body) {
            throw new UnsupportedOperationException("subresource");
        }

        @Override
        public JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource,
                                          Object body) {
            throw new UnsupportedOperationException("subresource");
        }

        @Override
        public void close() {
        }
    }
}
