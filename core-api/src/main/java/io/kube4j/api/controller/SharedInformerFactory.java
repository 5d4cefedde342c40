package io.kube4j.api.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Hands out the shared informer of each type. Thread-safe. */
public interface SharedInformerFactory {

    /**
     * The informer of {@code type} across all namespaces; the same instance on every call. Asking
     * for it before the factory starts makes it start with the others; asking later starts it at
     * once. Never blocks.
     */
    <T extends HasMetadata> SharedInformer<T> informerFor(Class<T> type);
}
