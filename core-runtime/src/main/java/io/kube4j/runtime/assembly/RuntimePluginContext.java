package io.kube4j.runtime.assembly;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;

/** The context the runtime hands to plugins. */
record RuntimePluginContext(Path dataDir, Clock clock) implements PluginContext {
    @Override
    public Path resolve(String path) {
        return dataDir.resolve(path);
    }

    AdmissionContext withCluster(ClusterView view) {
        RuntimePluginContext self = this;
        return new AdmissionContext() {
            @Override
            public ClusterView cluster() {
                return view;
            }

            @Override
            public Path dataDir() {
                return self.dataDir;
            }

            @Override
            public Clock clock() {
                return self.clock;
            }
        };
    }
}
