package io.kube4j.scheduler.interpodaffinity;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code InterPodAffinity} (PreFilter with extensions, Filter, PreScore, Score). */
public final class InterPodAffinityFactory implements SchedulingPluginFactory<InterPodAffinityArgs> {
    public static final String NAME = "InterPodAffinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<InterPodAffinityArgs> configType() {
        return InterPodAffinityArgs.class;
    }

    @Override
    public String description() {
        return "required pod affinity and anti-affinity (the pod's and the existing pods') must hold; preferred terms add their weights";
    }

    @Override
    public SchedulingPlugin create(InterPodAffinityArgs config, SchedulingContext context) {
        return new InterPodAffinityPlugin(config, context);
    }
}
