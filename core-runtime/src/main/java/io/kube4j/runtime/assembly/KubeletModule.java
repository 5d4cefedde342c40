package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClientConfig;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.kubelet.Kubelet;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelets of the profile's {@code nodes:} section, one per node, each with its own
 * {@code HttpApiClient}: like the scheduler, installed once the API server listens.
 */
final class KubeletModule extends AbstractModule {
    private final ApiClientConfig apiServer;

    KubeletModule(ApiClientConfig apiServer) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
    }

    /** The kubelets that run in this process, in profile order. */
    record Kubelets(List<Kubelet> all) {
        Kubelets {
            all = List.copyOf(all);
        }
    }

    @Provides
    @Singleton
    Kubelets kubelets(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context, LifeCycleManager lifeCycle) {
        List<Kubelet> started = new ArrayList<>();
        for (int i = 0; i < profile.nodes().size(); i++) {
            started.add(lifeCycle.manage(Kubelet.start(profile.nodes().get(i), binder,
                    new HttpApiClient(apiServer, ResourceRegistry.builtIn()), context, "nodes[" + i + "]")));
        }
        return new Kubelets(started);
    }
}
