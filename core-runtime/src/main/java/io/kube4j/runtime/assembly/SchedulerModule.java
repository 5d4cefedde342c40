package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.scheduler.Scheduler;
import java.util.function.Supplier;

/**
 * The scheduler of the profile's {@code scheduler:} section. It reaches the API server like any
 * component, through its own {@code ApiClient} with the admin credentials (in-process or over HTTPS: {@code apiserver.componentTransport}), so it is installed
 * once the API server listens (in a child injector).
 */
final class SchedulerModule extends AbstractModule {
    private final Supplier<ApiClient> apiServer;

    SchedulerModule(Supplier<ApiClient> apiServer) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
    }

    @Provides
    @Singleton
    Scheduler scheduler(ClusterProfile profile, PluginRegistry plugins, PluginBinder binder, RuntimePluginContext context,
                        LifeCycleManager lifeCycle) {
        return lifeCycle.manage(Scheduler.start(profile.scheduler().orElseThrow(), plugins, binder,
                apiServer.get(), context));
    }
}
