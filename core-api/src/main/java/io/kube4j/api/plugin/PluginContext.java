package io.kube4j.api.plugin;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the runtime gives every plugin when it creates one. Plugins never read files, the
 * environment or system properties on their own: whatever they need comes from here or from
 * their config record.
 */
public interface PluginContext {

    /** The cluster's data directory ({@code dataDir} of the profile); relative paths in configs resolve against it. */
    Path dataDir();

    /** The clock to read time from; tests may give a fake one. */
    Clock clock();

    /** Resolves a path from a config against {@link #dataDir()}; absolute paths are returned as they are. */
    default Path resolve(String path) {
        return dataDir().resolve(path);
    }
}
