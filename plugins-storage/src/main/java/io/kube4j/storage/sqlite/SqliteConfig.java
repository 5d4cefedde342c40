package io.kube4j.storage.sqlite;

import io.kube4j.api.plugin.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Config of the {@code sqlite} backend.
 *
 * @param file         the database file, relative to the data directory; default {@code state.db}
 * @param compactEvery how often history is compacted, as a Go duration; every interval the store
 *                     compacts to the revision that was current one interval earlier, as
 *                     kube-apiserver does; {@code "0"} disables; default {@code "5m"}
 * @param synchronous  SQLite's {@code PRAGMA synchronous}: {@code FULL} (default: an acknowledged
 *                     write survives a power loss), {@code EXTRA}, or {@code NORMAL} (survives a
 *                     crash of the process, not of the machine)
 */
public record SqliteConfig(String file, String compactEvery, String synchronous) {
    public static final String DEFAULT_FILE = "state.db";
    public static final String DEFAULT_COMPACT_EVERY = "5m";
    public static final String DEFAULT_SYNCHRONOUS = "FULL";
    private static final Set<String> SYNCHRONOUS_MODES = Set.of("NORMAL", "FULL", "EXTRA");

    public SqliteConfig {
        if (file == null) {
            file = DEFAULT_FILE;
        }
        if (file.isBlank()) {
            throw new IllegalArgumentException("file must not be blank");
        }
        if (compactEvery == null) {
            compactEvery = DEFAULT_COMPACT_EVERY;
        }
        if (Durations.parse("compactEvery", compactEvery).isNegative()) {
            throw new IllegalArgumentException("compactEvery must not be negative: " + compactEvery);
        }
        synchronous = synchronous == null ? DEFAULT_SYNCHRONOUS : synchronous.toUpperCase(Locale.ROOT);
        if (!SYNCHRONOUS_MODES.contains(synchronous)) {
            throw new IllegalArgumentException("synchronous must be one of NORMAL, FULL, EXTRA: " + synchronous);
        }
    }

    /** The config with every default. */
    public static SqliteConfig defaults() {
        return new SqliteConfig(null, null, null);
    }

    /** {@link #compactEvery()} parsed; zero when auto-compaction is off. */
    public Duration compactInterval() {
        return Durations.parse("compactEvery", compactEvery);
    }
}
