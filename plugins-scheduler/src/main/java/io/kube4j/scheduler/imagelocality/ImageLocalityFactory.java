package io.kube4j.scheduler.imagelocality;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code ImageLocality} (Score). */
public final class ImageLocalityFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "ImageLocality";

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
        return "prefers nodes that already have the pod's images, scaled by how many nodes have them";
    }

    /** Keeps the context's snapshot: the score scales by the number of nodes in the current cycle. */
    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new ImageLocalityPlugin(context.snapshot());
    }
}
