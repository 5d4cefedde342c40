package io.kube4j.runtime.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.SharedInformer.IndexFunction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** The cache of an informer: objects by {@code namespace/name}, and their indexes. Written by one thread. */
final class IndexedStore<T extends HasMetadata> implements Lister<T> {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, T> items = new LinkedHashMap<>();
    private final Map<String, IndexFunction<T>> indexers = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

    IndexedStore() {
        indexers.put(Indexers.NAMESPACE, Indexers::namespace);
        indices.put(Indexers.NAMESPACE, new HashMap<>());
    }

    static String key(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
    }

    void addIndexer(String name, IndexFunction<T> function) {
        lock.writeLock().lock();
        try {
            if (indexers.containsKey(name)) {
                throw new IllegalArgumentException("index " + name + " already exists");
            }
            indexers.put(name, function);
            Map<String, Set<String>> index = new HashMap<>();
            indices.put(name, index);
            items.forEach((k, o) -> function.index(o).forEach(v -> index.computeIfAbsent(v, x -> new HashSet<>()).add(k)));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts {@code object}; returns the object it replaced. */
    Optional<T> put(T object) {
        String key = key(object);
        lock.writeLock().lock();
        try {
            T old = items.put(key, object);
            if (old != null) {
                unindex(key, old);
            }
            indexers.forEach((name, f) -> f.index(object)
                    .forEach(v -> indices.get(name).computeIfAbsent(v, x -> new HashSet<>()).add(key)));
            return Optional.ofNullable(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    Optional<T> remove(String key) {
        lock.writeLock().lock();
        try {
            T old = items.remove(key);
            if (old != null) {
                unindex(key, old);
            }
            return Optional.ofNullable(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unindex(String key, T old) {
        indexers.forEach((name, f) -> {
            Map<String, Set<String>> index = indices.get(name);
            for (String v : f.index(old)) {
                Set<String> keys = index.get(v);
                if (keys != null) {
                    keys.remove(key);
                    if (keys.isEmpty()) {
                        index.remove(v);
                    }
                }
            }
        });
    }

    Optional<T> getByKey(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(items.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    Map<String, T> snapshot() {
        lock.readLock().lock();
        try {
            return new LinkedHashMap<>(items);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<T> get(String namespace, String name) {
        return getByKey(namespace.isEmpty() ? name : namespace + "/" + name);
    }

    @Override
    public List<T> list() {
        lock.readLock().lock();
        try {
            return List.copyOf(items.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<T> byIndex(String indexName, String value) {
        lock.readLock().lock();
        try {
            Map<String, Set<String>> index = indices.get(indexName);
            if (index == null) {
                throw new IllegalArgumentException("no index " + indexName + "; known: " + indices.keySet());
            }
            Collection<String> keys = index.getOrDefault(value, Set.of());
            List<T> out = new ArrayList<>(keys.size());
            for (String k : keys) {
                out.add(items.get(k));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }
}
