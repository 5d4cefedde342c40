package io.kube4j.samples.admission;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.plugin.NoConfig;

/**
 * An example custom admission plugin, the one README.md shows: ConfigMaps must carry an
 * {@code owner} label. Named {@code require-owner} in profiles.
 */
public final class RequireOwnerLabelFactory implements AdmissionPluginFactory<NoConfig> {
    public static final String NAME = "require-owner";

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
        return "example: ConfigMaps must have an owner label";
    }

    @Override
    public AdmissionPlugin create(NoConfig config, AdmissionContext context) {
        return (ValidatingAdmissionPlugin) request -> request.resource().kind().equals("ConfigMap")
                && request.object().map(o -> !o.path("metadata").path("labels").has("owner")).orElse(false)
                ? AdmissionResponse.forbidden("ConfigMaps need an owner label")
                : AdmissionResponse.allow();
    }
}
