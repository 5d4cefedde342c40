package io.kube4j.scheduler.nodeunschedulable;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodeUnschedulable} (Filter). */
public final class NodeUnschedulableFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "NodeUnschedulable";

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
        return "keeps pods off cordoned nodes unless they tolerate node.kubernetes.io/unschedulable";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new NodeUnschedulablePlugin();
    }
}
