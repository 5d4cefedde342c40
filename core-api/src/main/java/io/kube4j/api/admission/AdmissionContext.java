package io.kube4j.api.admission;

import io.kube4j.api.plugin.PluginContext;

/** What an admission plugin gets at creation: the plugin context and a view of the cluster. */
public interface AdmissionContext extends PluginContext {
    ClusterView cluster();
}
