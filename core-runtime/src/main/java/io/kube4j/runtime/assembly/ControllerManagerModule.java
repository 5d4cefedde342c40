package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.controllermanager.ControllerManager;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import java.util.function.Supplier;

/**
 * The controller-manager of the profile's {@code controllerManager:} section. Like the scheduler it
 * reaches the API server through its own {@code ApiClient} with the admin credentials, so it is
 * installed once the API server listens (in a child injector).
 */
final class ControllerManagerModule extends AbstractModule {
    private final Supplier<ApiClient> apiServer;

    ControllerManagerModule(Supplier<ApiClient> apiServer) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
    }

    @Provides
    @Singleton
    ControllerManager controllerManager(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context,
                                        LifeCycleManager lifeCycle) {
        return lifeCycle.manage(ControllerManager.start(profile.controllerManager().orElseThrow(), binder,
                apiServer.get(), context));
    }
}
