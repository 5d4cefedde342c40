package io.kube4j.scheduler.nodeaffinity;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodeAffinity} (PreFilter, Filter, PreScore, Score). */
public final class NodeAffinityFactory implements SchedulingPluginFactory<NodeAffinityArgs> {
    public static final String NAME = "NodeAffinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NodeAffinityArgs> configType() {
        return NodeAffinityArgs.class;
    }

    @Override
    public String description() {
        return "nodeSelector and required node affinity must match; preferred terms add their weights";
    }

    @Override
    public SchedulingPlugin create(NodeAffinityArgs config, SchedulingContext context) {
        return new NodeAffinityPlugin(config);
    }
}
