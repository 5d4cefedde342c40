package io.kube4j.samples.scheduling;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/**
 * {@code ServiceLoader} entry of the example Score plugin {@code PreferLabeledNodes}: nodes that
 * carry a label (given in its args) score 100, the others 0. Found on the class path through
 * {@code META-INF/services}, or in a jar of the plugins directory by scanning.
 */
public final class PreferLabeledNodesFactory implements SchedulingPluginFactory<PreferLabeledNodesArgs> {
    public static final String NAME = "PreferLabeledNodes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<PreferLabeledNodesArgs> configType() {
        return PreferLabeledNodesArgs.class;
    }

    @Override
    public String description() {
        return "example: prefers nodes that carry a label given in its args";
    }

    @Override
    public SchedulingPlugin create(PreferLabeledNodesArgs config, SchedulingContext context) {
        return new PreferLabeledNodesPlugin(config);
    }
}
