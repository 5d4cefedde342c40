package io.kube4j.scheduler.podtopologyspread;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code PodTopologySpread} (PreFilter with extensions, Filter, PreScore, Score). */
public final class PodTopologySpreadFactory implements SchedulingPluginFactory<PodTopologySpreadArgs> {
    public static final String NAME = "PodTopologySpread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<PodTopologySpreadArgs> configType() {
        return PodTopologySpreadArgs.class;
    }

    @Override
    public String description() {
        return "topologySpreadConstraints: DoNotSchedule ones must hold within maxSkew; ScheduleAnyway ones prefer the least skew";
    }

    @Override
    public SchedulingPlugin create(PodTopologySpreadArgs config, SchedulingContext context) {
        return new PodTopologySpreadPlugin(config, context);
    }
}
