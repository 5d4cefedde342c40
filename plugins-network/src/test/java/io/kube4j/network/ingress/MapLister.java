package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.controller.Lister;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An informer cache that a test fills by hand: the input of the ingress, not a stand-in for its behaviour. */
final class MapLister<T extends HasMetadata> implements Lister<T> {
    private final Map<String, T> objects = new ConcurrentHashMap<>();

    MapLister<T> put(T object) {
        objects.put(object.getMetadata().getNamespace() + "/" + object.getMetadata().getName(), object);
        return this;
    }

    void remove(String namespace, String name) {
        objects.remove(namespace + "/" + name);
    }

    @Override
    public Optional<T> get(String namespace, String name) {
        return Optional.ofNullable(objects.get(namespace + "/" + name));
    }

    @Override
    public List<T> list() {
        return List.copyOf(objects.values());
    }

    @Override
    public List<T> byIndex(String indexName, String value) {
        if (!NAMESPACE_INDEX.equals(indexName)) {
            throw new IllegalArgumentException("no index " + indexName);
        }
        return objects.values().stream().filter(o -> value.equals(o.getMetadata().getNamespace())).toList();
    }
}
