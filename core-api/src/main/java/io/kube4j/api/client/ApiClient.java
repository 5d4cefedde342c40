package io.kube4j.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.resource.ResourceRegistry;
import java.util.Optional;

/**
 * The only way a component (scheduler, controller, kubelet, proxy, add-on) reaches the cluster:
 * the Kubernetes REST API, typed with the fabric8 model. Namespaces are "" for cluster-scoped
 * types (and, in {@link ListOptions}, for "all namespaces").
 *
 * <p>Thread-safe; every method blocks on the network (call it from a virtual thread). Failures
 * the server answers with a Status are thrown as {@link ApiException} with its code; a missing
 * object on {@link #get} is an empty Optional, not an exception.
 */
public interface ApiClient extends AutoCloseable {

    /** The resource types this client maps Java classes to. */
    ResourceRegistry registry();

    /** The object, or empty on 404. */
    <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name);

    /** One page of a list (all of it when {@code options.limit()} is 0). */
    <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options);

    /**
     * Starts a watch and returns at once; events arrive on the listener from a thread of the
     * client, one at a time, in order. The watch ends when closed, when the server ends it
     * ({@code timeoutSeconds}), or on an error such as 410 Gone; then {@link WatchListener#onClose} is called once.
     */
    <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener);

    /** Creates the object (namespace from its metadata) and returns it as stored. */
    <T extends HasMetadata> T create(T object);

    /** Replaces the object; its {@code metadata.resourceVersion}, if set, must be current (else 409). */
    <T extends HasMetadata> T update(T object);

    /** Replaces the object's status through the {@code status} subresource. */
    <T extends HasMetadata> T updateStatus(T object);

    /** Patches the object (or its {@code subresource}, "" for none) and returns the result. */
    <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType, String patch,
                                    String subresource);

    /** Deletes the object; returns false if it was already gone. */
    <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options);

    /**
     * Deletes every object of {@code type} that {@code selection} selects (its namespace, label and
     * field selectors), each with {@code options}: the {@code deletecollection} verb, one request
     * instead of one per object. Objects with finalizers or a grace period are only marked for deletion.
     * The default lists and deletes one by one.
     */
    default <T extends HasMetadata> void deleteCollection(Class<T> type, ListOptions selection, DeleteOptions options) {
        for (T item : list(type, selection).items()) {
            String namespace = item.getMetadata().getNamespace();
            delete(type, namespace == null ? "" : namespace, item.getMetadata().getName(), options);
        }
    }

    /** GET of a subresource such as {@code scale}; the body as JSON. */
    JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource);

    /** POST to a subresource such as {@code binding} or {@code eviction}; the answer as JSON. */
    JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource,
                               Object body);

    /** PUT of a subresource such as {@code scale}; the answer as JSON. */
    JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource,
                               Object body);

    @Override
    void close();
}
