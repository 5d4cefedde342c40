package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.addon.AddOnHost;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import java.util.function.Supplier;

/**
 * The add-ons of the profile's {@code addons:} section, through their own {@code ApiClient}:
 * installed once the API server listens, after the other components, so stopped before them.
 */
final class AddOnModule extends AbstractModule {
    private final Supplier<ApiClient> apiServer;

    AddOnModule(Supplier<ApiClient> apiServer) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
    }

    @Provides
    @Singleton
    AddOnHost addOns(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context, LifeCycleManager lifeCycle) {
        return lifeCycle.manage(AddOnHost.start(profile.addons(), binder,
                apiServer.get(), context, nodeIp(profile)));
    }

    /** The first node's address, else the API server's host (a wildcard one read as loopback). */
    static String nodeIp(ClusterProfile profile) {
        if (!profile.nodes().isEmpty()) {
            return profile.nodes().get(0).address();
        }
        String host = profile.apiserver().host();
        return host.equals("0.0.0.0") || host.equals("localhost") ? "127.0.0.1" : host;
    }
}
