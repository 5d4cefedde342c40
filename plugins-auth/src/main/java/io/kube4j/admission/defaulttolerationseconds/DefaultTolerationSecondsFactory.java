package io.kube4j.admission.defaulttolerationseconds;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;

/** {@code ServiceLoader} entry of the {@code DefaultTolerationSeconds} admission plugin. */
public final class DefaultTolerationSecondsFactory implements AdmissionPluginFactory<DefaultTolerationSecondsConfig> {
    public static final String NAME = "DefaultTolerationSeconds";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<DefaultTolerationSecondsConfig> configType() {
        return DefaultTolerationSecondsConfig.class;
    }

    @Override
    public String description() {
        return "gives new pods tolerations of the not-ready and unreachable NoExecute taints for 300 s unless they have their own";
    }

    @Override
    public AdmissionPlugin create(DefaultTolerationSecondsConfig config, AdmissionContext context) {
        return new DefaultTolerationSecondsPlugin(config);
    }
}
