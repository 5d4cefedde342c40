package io.kube4j.api.storage;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.plugin.PluginFactory;

/**
 * A storage plugin: opens the {@link Store} that the API server keeps every object in.
 * Listed in {@code META-INF/services/io.kube4j.api.storage.StorageBackend}.
 *
 * @param <C> the config record of this backend
 */
public interface StorageBackend<C> extends PluginFactory<C> {

    /**
     * Opens (creating if needed) the store described by {@code config}. May block while the store
     * recovers. The caller owns the returned store and closes it. Opening the same durable store
     * twice in one process is not supported.
     */
    Store open(C config, PluginContext context);
}
