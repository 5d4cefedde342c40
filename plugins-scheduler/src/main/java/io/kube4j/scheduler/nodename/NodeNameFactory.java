package io.kube4j.scheduler.nodename;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodeName} (Filter). */
public final class NodeNameFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "NodeName";

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
        return "a pod with spec.nodeName fits only that node";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new NodeNamePlugin();
    }
}
