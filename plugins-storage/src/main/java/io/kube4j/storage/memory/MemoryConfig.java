package io.kube4j.storage.memory;

import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * Config of the {@code memory} backend.
 *
 * @param compactEvery how often history is compacted, as a Go duration ({@code "5m"}); every
 *                     interval the store compacts to the revision that was current one interval
 *                     earlier, as kube-apiserver does; {@code "0"} disables; default {@code "5m"}
 */
public record MemoryConfig(String compactEvery) {
    public static final String DEFAULT_COMPACT_EVERY = "5m";

    public MemoryConfig {
        if (compactEvery == null) {
            compactEvery = DEFAULT_COMPACT_EVERY;
        }
        if (Durations.parse("compactEvery", compactEvery).isNegative()) {
            throw new IllegalArgumentException("compactEvery must not be negative: " + compactEvery);
        }
    }

    /** The config with every default. */
    public static MemoryConfig defaults() {
        return new MemoryConfig(null);
    }

    /** {@link #compactEvery()} parsed; zero when auto-compaction is off. */
    public Duration compactInterval() {
        return Durations.parse("compactEvery", compactEvery);
    }
}
