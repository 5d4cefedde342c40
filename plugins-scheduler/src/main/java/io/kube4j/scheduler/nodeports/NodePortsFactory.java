package io.kube4j.scheduler.nodeports;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodePorts} (PreFilter, Filter). */
public final class NodePortsFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "NodePorts";

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
        return "the pod's hostPorts must be free on the node";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new NodePortsPlugin();
    }
}
