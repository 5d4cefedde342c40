package io.kube4j.apiserver.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link ClusterView} that admission plugins read: the watch cache, without I/O. */
public final class CacheClusterView implements ClusterView {
    private final WatchCache cache;
    /** Types by group and resource, the first registered version of each: looked up on every write. */
    private final Map<String, ResourceType> types = new HashMap<>();

    public CacheClusterView(WatchCache cache, ResourceRegistry registry) {
        this.cache = cache;
        for (ResourceType t : registry.all()) {
            types.putIfAbsent(t.group() + "/" + t.plural(), t);
        }
    }

    @Override
    public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
        return type(group, resource).flatMap(t -> cache.get(t, namespace, name)).map(CachedObject::object);
    }

    @Override
    public List<ObjectNode> list(String group, String resource, String namespace) {
        return type(group, resource)
                .map(t -> cache.list(t, namespace, o -> true, "", 0).items().stream().map(CachedObject::object).toList())
                .orElse(List.of());
    }

    private Optional<ResourceType> type(String group, String resource) {
        return Optional.ofNullable(types.get(group + "/" + resource));
    }
}
