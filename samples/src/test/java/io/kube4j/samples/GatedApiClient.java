package io.kube4j.samples;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.api.resource.ResourceRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An ApiClient that can hold new watches back and end the open ones, so that a test can make an
 * informer miss events until the version it watches from is compacted.
 */
final class GatedApiClient implements ApiClient {
    private final ApiClient delegate;
    private final List<WatchHandle> open = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    GatedApiClient(ApiClient delegate) {
        this.delegate = delegate;
    }

    /** New watches wait (at most 60 s) until {@link #release}; the open ones end now. */
    void holdWatches() {
        gate = new CountDownLatch(1);
        open.forEach(WatchHandle::close);
        open.clear();
    }

    void release() {
        gate.countDown();
    }

    @Override
    public ResourceRegistry registry() {
        return delegate.registry();
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        return delegate.get(type, namespace, name);
    }

    @Override
    public <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options) {
        return delegate.list(type, options);
    }

    @Override
    public <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener) {
        try {
            gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WatchHandle handle = delegate.watch(type, options, listener);
        open.add(handle);
        return handle;
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        return delegate.create(object);
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return delegate.update(object);
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        return delegate.updateStatus(object);
    }

    @Override
    public <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType,
                                           String patch, String subresource) {
        return delegate.patch(type, namespace, name, patchType, patch, subresource);
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options) {
        return delegate.delete(type, namespace, name, options);
    }

    @Override
    public JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
        return delegate.getSubresource(type, namespace, name, subresource);
    }

    @Override
    public JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                      String subresource, Object body) {
        return delegate.createSubresource(type, namespace, name, subresource, body);
    }

    @Override
    public JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                      String subresource, Object body) {
        return delegate.updateSubresource(type, namespace, name, subresource, body);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
