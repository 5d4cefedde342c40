package io.kube4j.storage.etcd;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;

/** The {@code etcd} storage backend: a real etcd v3 cluster, as kube-apiserver uses. */
public final class EtcdStorageBackend implements StorageBackend<EtcdConfig> {
    public static final String NAME = "etcd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<EtcdConfig> configType() {
        return EtcdConfig.class;
    }

    @Override
    public String description() {
        return "etcd v3 cluster (endpoints, key prefix); durable, shared by several API servers";
    }

    @Override
    public Store open(EtcdConfig config, PluginContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return EtcdStore.open(config, file -> context.resolve(file));
    }
}
