package io.kube4j.scheduler.noderesources;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodeResourcesBalancedAllocation} (PreScore, Score). */
public final class NodeResourcesBalancedAllocationFactory implements SchedulingPluginFactory<NodeResourcesBalancedAllocationArgs> {
    public static final String NAME = "NodeResourcesBalancedAllocation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NodeResourcesBalancedAllocationArgs> configType() {
        return NodeResourcesBalancedAllocationArgs.class;
    }

    @Override
    public String description() {
        return "prefers nodes whose requested fractions of cpu and memory stay close to each other";
    }

    @Override
    public SchedulingPlugin create(NodeResourcesBalancedAllocationArgs config, SchedulingContext context) {
        return new NodeResourcesBalancedAllocationPlugin(config);
    }
}
