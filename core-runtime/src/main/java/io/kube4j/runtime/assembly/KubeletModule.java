package io.kube4j.runtime.assembly;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.kubelet.Kubelet;
import io.kube4j.runtime.kubelet.KubeletHost;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The kubelets of the profile's {@code nodes:} section, one per node, all on one {@link KubeletHost}
 * (one {@code ApiClient}, one pod watch): like the scheduler, installed once the API server
 * listens. They register in parallel, a few at a time, so that a thousand nodes are Ready in seconds.
 */
final class KubeletModule extends AbstractModule {
    /** Kubelets registering at once: enough to keep the API server busy, few enough not to flood it. */
    static final int PARALLEL_STARTS = 64;
    private final Supplier<ApiClient> apiServer;

    KubeletModule(Supplier<ApiClient> apiServer) {
        this.apiServer = requireNonNull(apiServer, "apiServer is null");
    }

    /** The kubelets that run in this process, in profile order, and their host. */
    record Kubelets(List<Kubelet> all, KubeletHost host) implements AutoCloseable {
        Kubelets {
            all = List.copyOf(all);
        }

        /** Closes the kubelets in parallel, then the host. */
        @Override
        public void close() {
            try (ExecutorService closing = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubelet-close-", 0)
                    .factory())) {
                all.forEach(k -> closing.submit(k::close));
            } finally {
                host.close();
            }
        }
    }

    @Provides
    @Singleton
    Kubelets kubelets(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context, LifeCycleManager lifeCycle) {
        // One node: its kubelet watches only its pods, as a kubelet does; more: one watch of every pod for all.
        KubeletHost host = new KubeletHost(apiServer.get(),
                profile.nodes().size() == 1 ? java.util.Optional.of(profile.nodes().getFirst().name()) : java.util.Optional.empty());
        List<Future<Kubelet>> starting = new ArrayList<>();
        Semaphore permits = new Semaphore(PARALLEL_STARTS);
        try (ExecutorService starts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubelet-start-", 0)
                .factory())) {
            for (int i = 0; i < profile.nodes().size(); i++) {
                int index = i;
                starting.add(starts.submit(() -> {
                    permits.acquire();
                    try {
                        return Kubelet.start(profile.nodes().get(index), binder, host, context, "nodes[" + index + "]");
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<Kubelet> started = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<Kubelet> f : starting) {
            try {
                started.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while starting the kubelets", e);
            }
        }
        Kubelets kubelets = new Kubelets(started, host);
        if (failure != null) {
            kubelets.close();
            throw failure;
        }
        host.start();
        return lifeCycle.manage(kubelets);
    }
}
