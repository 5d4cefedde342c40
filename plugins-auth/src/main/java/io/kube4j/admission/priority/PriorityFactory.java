package io.kube4j.admission.priority;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.plugin.NoConfig;
import java.util.Map;

/** {@code ServiceLoader} entry of the {@code Priority} admission plugin. */
public final class PriorityFactory implements AdmissionPluginFactory<NoConfig> {
    public static final String NAME = "Priority";

    /**
     * The classes kube-apiserver creates at start and never lets anyone delete, with their values
     * (kube's {@code scheduling.SystemPriorityClasses}).
     */
    public static final Map<String, Integer> SYSTEM_PRIORITY_CLASSES = Map.of(
            "system-node-critical", 2_000_001_000,
            "system-cluster-critical", 2_000_000_000);

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
        return "resolves a pod's priorityClassName to spec.priority and preemptionPolicy; one global default PriorityClass";
    }

    @Override
    public AdmissionPlugin create(NoConfig config, AdmissionContext context) {
        return new PriorityPlugin(context.cluster(), SYSTEM_PRIORITY_CLASSES.keySet());
    }
}
