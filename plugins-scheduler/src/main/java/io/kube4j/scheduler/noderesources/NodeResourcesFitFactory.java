package io.kube4j.scheduler.noderesources;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code NodeResourcesFit} (PreFilter, Filter, PreScore, Score). */
public final class NodeResourcesFitFactory implements SchedulingPluginFactory<NodeResourcesFitArgs> {
    public static final String NAME = "NodeResourcesFit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NodeResourcesFitArgs> configType() {
        return NodeResourcesFitArgs.class;
    }

    @Override
    public String description() {
        return "the pod's requests must fit the node's free allocatable; scores LeastAllocated, MostAllocated or RequestedToCapacityRatio";
    }

    @Override
    public SchedulingPlugin create(NodeResourcesFitArgs config, SchedulingContext context) {
        return new NodeResourcesFitPlugin(config);
    }
}
