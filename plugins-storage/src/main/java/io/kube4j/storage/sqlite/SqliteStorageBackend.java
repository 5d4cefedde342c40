package io.kube4j.storage.sqlite;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;

/** The {@code sqlite} storage backend, the embedded default: one durable file under the data directory. */
public final class SqliteStorageBackend implements StorageBackend<SqliteConfig> {
    public static final String NAME = "sqlite";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SqliteConfig> configType() {
        return SqliteConfig.class;
    }

    @Override
    public String description() {
        return "Embedded SQLite file (WAL, group commit); durable, single process";
    }

    @Override
    public Store open(SqliteConfig config, PluginContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return SqliteStore.open(context.resolve(config.file()), config.synchronous(), config.compactInterval());
    }
}
