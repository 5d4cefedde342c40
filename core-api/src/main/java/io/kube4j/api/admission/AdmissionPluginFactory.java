package io.kube4j.api.admission;

import io.kube4j.api.plugin.PluginFactory;

/** {@code ServiceLoader} entry of an admission plugin. */
public interface AdmissionPluginFactory<C> extends PluginFactory<C> {
    AdmissionPlugin create(C config, AdmissionContext context);
}
