package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.controller.SharedInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The {@code ingress} add-on: keeps the {@link IngressServer}'s routes and certificates in step
 * with the Ingresses and Secrets, and writes the address it serves on to each of its Ingresses'
 * {@code status.loadBalancer}, so that {@code kubectl get ingress} shows it. Changes are applied on
 * one thread and coalesced: a burst of changes makes one refresh.
 */
final class IngressAddOn implements AddOn {
    private static final Logger LOG = LoggerFactory.getLogger(IngressAddOn.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final AddOnContext context;
    private final SharedInformer<Ingress> ingresses;
    private final List<SharedInformer<?>> informers;
    private final IngressServer server;
    private final String address;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("ingress-refresh").factory());
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean closed;

    IngressAddOn(IngressConfig config, AddOnContext context) {
        this.context = requireNonNull(context, "context is null");
        this.ingresses = context.informers().informerFor(Ingress.class);
        SharedInformer<Secret> secrets = context.informers().informerFor(Secret.class);
        SharedInformer<Service> services = context.informers().informerFor(Service.class);
        SharedInformer<EndpointSlice> slices = context.informers().informerFor(EndpointSlice.class);
        this.informers = List.of(ingresses, secrets, services, slices);
        this.server = new IngressServer(config, ingresses.lister(), new ServiceUpstreams(services.lister(), slices.lister()),
                secrets.lister(), context.clock());
        this.address = config.address().equals("0.0.0.0") ? context.nodeIp() : config.address();
        ingresses.addEventHandler(refreshOnChange());
        secrets.addEventHandler(refreshOnChange());
    }

    private <T> ResourceEventHandler<T> refreshOnChange() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                scheduleRefresh();
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                scheduleRefresh();
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                scheduleRefresh();
            }
        };
    }

    private void scheduleRefresh() {
        if (started && !closed && pending.compareAndSet(false, true)) {
            refresher.execute(this::refresh);
        }
    }

    private void refresh() {
        pending.set(false);
        try {
            server.refresh();
            publishAddress();
        } catch (RuntimeException e) {
            LOG.warn("ingress: refresh failed, the previous routes stay: {}", e.toString());
        }
    }

    /** Writes this controller's address to the status of every Ingress it serves that does not show it yet. */
    private void publishAddress() {
        for (Ingress ingress : ingresses.lister().list()) {
            if (!server.serves(ingress) || showsAddress(ingress)) {
                continue;
            }
            try {
                context.client().patch(Ingress.class, ingress.getMetadata().getNamespace(), ingress.getMetadata().getName(),
                        PatchType.MERGE, "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"" + address + "\"}]}}}",
                        "status");
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    LOG.warn("ingress: cannot write the address of {}/{}: {}", ingress.getMetadata().getNamespace(),
                            ingress.getMetadata().getName(), e.getMessage());
                }
            }
        }
    }

    private boolean showsAddress(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return false;
        }
        List<IngressLoadBalancerIngress> shown = ingress.getStatus().getLoadBalancer().getIngress();
        return shown.size() == 1 && address.equals(shown.getFirst().getIp());
    }

    @Override
    public void start() throws Exception {
        if (!SharedInformer.awaitSynced(SYNC_TIMEOUT, informers)) {
            throw new IllegalStateException("ingress: the Ingress, Secret, Service and EndpointSlice caches did not sync in "
                    + SYNC_TIMEOUT.toSeconds() + " s");
        }
        server.refresh();
        server.start();
        started = true;
        scheduleRefresh();
    }

    /** The HTTP port it listens on (tests ask for port 0). */
    int httpPort() {
        return server.httpPort();
    }

    @Override
    public boolean ready() {
        return started && !closed;
    }

    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
        server.close();
    }
}
