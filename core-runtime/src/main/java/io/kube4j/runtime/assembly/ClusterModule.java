package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import java.time.Clock;

/** What every component module builds on: the profile, the plugins, the plugin context and the lifecycle. */
final class ClusterModule extends AbstractModule {
    private final ClusterProfile profile;
    private final PluginRegistry plugins;
    private final PluginBinder binder;
    private final RuntimePluginContext context;
    private final LifeCycleManager lifeCycle;

    ClusterModule(ClusterProfile profile, PluginRegistry plugins, PluginBinder binder, RuntimePluginContext context,
                  LifeCycleManager lifeCycle) {
        this.profile = requireNonNull(profile, "profile is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.binder = requireNonNull(binder, "binder is null");
        this.context = requireNonNull(context, "context is null");
        this.lifeCycle = requireNonNull(lifeCycle, "lifeCycle is null");
    }

    @Override
    protected void configure() {
        bind(ClusterProfile.class).toInstance(profile);
        bind(PluginRegistry.class).toInstance(plugins);
        bind(PluginBinder.class).toInstance(binder);
        bind(RuntimePluginContext.class).toInstance(context);
        bind(LifeCycleManager.class).toInstance(lifeCycle);
        bind(Clock.class).toInstance(context.clock());
    }
}
