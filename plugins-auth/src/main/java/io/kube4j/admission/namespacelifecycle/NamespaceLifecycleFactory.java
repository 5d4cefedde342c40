package io.kube4j.admission.namespacelifecycle;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.plugin.NoConfig;
import java.util.Set;

/** {@code ServiceLoader} entry of the {@code NamespaceLifecycle} admission plugin. */
public final class NamespaceLifecycleFactory implements AdmissionPluginFactory<NoConfig> {
    public static final String NAME = "NamespaceLifecycle";

    /** The namespaces kube-apiserver never lets anyone delete. */
    public static final Set<String> IMMORTAL_NAMESPACES = Set.of("default", "kube-system", "kube-public");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public String description() {
        return "refuses content in missing or terminating namespaces and deletion of system namespaces";
    }

    @Override
    public AdmissionPlugin create(NoConfig config, AdmissionContext context) {
        return new NamespaceLifecyclePlugin(context.cluster(), IMMORTAL_NAMESPACES);
    }
}
