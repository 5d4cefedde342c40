package io.kube4j.storage.conformance;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;

/** A plugin context over a test directory and the system clock. */
public record TestPluginContext(Path dataDir) implements PluginContext {
    public TestPluginContext {
        requireNonNull(dataDir, "dataDir is null");
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
