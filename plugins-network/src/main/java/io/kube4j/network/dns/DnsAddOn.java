package io.kube4j.network.dns;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.SharedInformer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running DNS add-on: informers feeding {@link ClusterRecords}, the server, the kube-dns Service. */
final class DnsAddOn implements AddOn {
    private static final Logger log = LoggerFactory.getLogger(DnsAddOn.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final DnsConfig config;
    private final AddOnContext context;
    private final ClusterRecords records = new ClusterRecords();
    private final List<SharedInformer<?>> informers;
    private volatile DnsServer server;

    DnsAddOn(DnsConfig config, AddOnContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        SharedInformer<Service> services = context.informers().informerFor(Service.class);
        SharedInformer<EndpointSlice> slices = context.informers().informerFor(EndpointSlice.class);
        SharedInformer<Pod> pods = context.informers().informerFor(Pod.class);
        services.addEventHandler(records.serviceHandler());
        slices.addEventHandler(records.sliceHandler());
        pods.addEventHandler(records.podHandler());
        this.informers = List.of(services, slices, pods);
    }

    @Override
    public void start() throws Exception {
        if (!SharedInformer.awaitSynced(SYNC_TIMEOUT, informers)) {
            throw new IllegalStateException("dns: the Service, EndpointSlice and Pod caches did not sync in "
                    + SYNC_TIMEOUT.toSeconds() + " s");
        }
        String ip = config.address().isEmpty() ? context.nodeIp() : config.address();
        List<InetSocketAddress> upstreams = config.upstreams().isEmpty()
                ? Forwarder.fromResolvConf(Path.of(config.resolvConf()))
                : config.upstreams().stream().map(Forwarder::parse).toList();
        DnsServer s = new DnsServer(new ClusterResolver(records, config.domain(), config.ttl()), new Forwarder(upstreams),
                new InetSocketAddress(ip, config.port()), config.udpWorkers());
        server = s;
        log.info("dns: serving {} on {} (UDP and TCP), forwarding other names to {}", config.domain(), s.address(), upstreams);
        if (config.manageService()) {
            try {
                new KubeDnsService(context.client(), config.clusterIp()).ensure(ip, s.address().getPort());
            } catch (ApiException e) {
                log.warn("dns: cannot keep kube-system/kube-dns ({}); answering on {} all the same", e.getMessage(),
                        s.address());
            }
        }
    }

    /** Where the server listens; null before start. */
    InetSocketAddress address() {
        DnsServer s = server;
        return s == null ? null : s.address();
    }

    @Override
    public boolean ready() {
        return server != null;
    }

    @Override
    public void close() {
        DnsServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
