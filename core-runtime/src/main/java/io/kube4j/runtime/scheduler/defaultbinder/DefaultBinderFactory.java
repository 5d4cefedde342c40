package io.kube4j.runtime.scheduler.defaultbinder;

import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** Makes {@link DefaultBinderPlugin}s. */
public final class DefaultBinderFactory implements SchedulingPluginFactory<NoConfig> {
    public static final String NAME = "DefaultBinder";

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
        return "binds pods through the pods/binding subresource";
    }

    @Override
    public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
        return new DefaultBinderPlugin(context);
    }
}
