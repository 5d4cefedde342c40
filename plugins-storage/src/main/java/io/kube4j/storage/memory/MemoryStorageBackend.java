package io.kube4j.storage.memory;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;

/** The {@code memory} storage backend: etcd semantics in the heap, lost when the process ends. */
public final class MemoryStorageBackend implements StorageBackend<MemoryConfig> {
    public static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<MemoryConfig> configType() {
        return MemoryConfig.class;
    }

    @Override
    public String description() {
        return "In-memory multi-version store; nothing survives a restart";
    }

    @Override
    public Store open(MemoryConfig config, PluginContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new MemoryStore(config.compactInterval());
    }
}
