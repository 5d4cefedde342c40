package io.kube4j.scheduler.queuesort;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code PrioritySort}, the default QueueSort plugin. */
public final class PrioritySortFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "PrioritySort";

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
        return "queue order: higher spec.priority first, then earlier in the queue";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new PrioritySortPlugin();
    }
}
