package io.kube4j.admission.resourcequota;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code ServiceLoader} entry of the {@code ResourceQuota} admission plugin. */
public final class ResourceQuotaFactory implements AdmissionPluginFactory<NoConfig> {
    public static final String NAME = "ResourceQuota";

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
        return "refuses creates that would exceed a ResourceQuota of the namespace (by the usage its controller reports)";
    }

    @Override
    public AdmissionPlugin create(NoConfig config, AdmissionContext context) {
        return new ResourceQuotaPlugin(context.cluster());
    }
}
