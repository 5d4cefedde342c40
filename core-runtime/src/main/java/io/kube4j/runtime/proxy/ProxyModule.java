package io.kube4j.runtime.proxy;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.assembly.LifeCycleManager;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The kube-proxies of the profile's {@code proxy:} section, one per node of its {@code nodes:},
 * each with its own {@code ApiClient}: installed once the API server listens (in a child
 * injector), after the kubelets, so closed before them.
 */
public final class ProxyModule extends AbstractModule {
    private final Supplier<ApiClient> apiServer;
    private final PluginContext context;

    public ProxyModule(Supplier<ApiClient> apiServer, PluginContext context) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** The proxies that run in this process, in the order of the profile's nodes. */
    public record Proxies(List<ProxyHost> all) {
        public Proxies {
            all = List.copyOf(all);
        }
    }

    @Provides
    @Singleton
    Proxies proxies(ClusterProfile profile, PluginBinder binder, LifeCycleManager lifeCycle) {
        List<ProxyHost> started = new ArrayList<>();
        if (profile.proxy().isPresent()) {
            for (var node : profile.nodes()) {
                started.add(lifeCycle.manage(ProxyHost.start(profile.proxy().get(), node, binder,
                        apiServer.get(), context)));
            }
        }
        return new Proxies(started);
    }
}
