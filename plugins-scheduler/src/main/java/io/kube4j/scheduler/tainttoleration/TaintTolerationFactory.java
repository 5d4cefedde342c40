package io.kube4j.scheduler.tainttoleration;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code TaintToleration} (Filter, PreScore, Score). */
public final class TaintTolerationFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "TaintToleration";

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
        return "keeps pods off nodes with untolerated NoSchedule/NoExecute taints; prefers fewer PreferNoSchedule taints";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new TaintTolerationPlugin();
    }
}
