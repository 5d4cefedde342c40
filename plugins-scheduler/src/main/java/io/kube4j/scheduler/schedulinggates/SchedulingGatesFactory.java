package io.kube4j.scheduler.schedulinggates;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code SchedulingGates} (PreEnqueue). */
public final class SchedulingGatesFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "SchedulingGates";

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
        return "holds pods with spec.schedulingGates out of the active queue";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new SchedulingGatesPlugin();
    }
}
