package io.kube4j.network.dns;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code kube-system/kube-dns} as kubeadm's CoreDNS deployment has it (ClusterIP 10.96.0.10,
 * ports 53/UDP {@code dns} and 53/TCP {@code dns-tcp}, label {@code k8s-app: kube-dns}), but with no
 * selector: its Endpoints and EndpointSlice, written here, point at the address and port the add-on
 * really listens on, so that a proxy mode routes the ClusterIP's port 53 there.
 */
final class KubeDnsService {
    private static final Logger log = LoggerFactory.getLogger(KubeDnsService.class);
    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-dns";
    static final String MANAGED_BY = "dns.kube4j.io";

    private final ApiClient client;
    private final String clusterIp;

    KubeDnsService(ApiClient client, String clusterIp) {
        this.client = requireNonNull(client, "client is null");
        this.clusterIp = requireNonNull(clusterIp, "clusterIp is null");
    }

    /** Creates or updates the Service, Endpoints and EndpointSlice for {@code ip:port}. */
    void ensure(String ip, int port) {
        Map<String, String> labels = Map.of("k8s-app", "kube-dns", "kubernetes.io/name", "CoreDNS",
                "kubernetes.io/cluster-service", "true");
        Service svc = new ServiceBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE).withLabels(labels)
                .endMetadata().withNewSpec().withType("ClusterIP").withClusterIP(clusterIp)
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").withTargetPort(new IntOrString(port)).endPort()
                .addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").withTargetPort(new IntOrString(port)).endPort()
                .endSpec().build();
        Optional<Service> existing = client.get(Service.class, NAMESPACE, NAME);
        if (existing.isEmpty()) {
            create(svc);
        } else if (!svc.getSpec().getPorts().equals(existing.get().getSpec().getPorts())) {
            Service updated = new ServiceBuilder(existing.get()).editSpec().withPorts(svc.getSpec().getPorts()).endSpec().build();
            client.update(updated);
        }
        if (existing.isPresent() && !clusterIp.equals(existing.get().getSpec().getClusterIP())) {
            log.warn("dns: kube-system/kube-dns has ClusterIP {}, not {}; a ClusterIP cannot change, so it stays",
                    existing.get().getSpec().getClusterIP(), clusterIp);
        }
        var endpoints = new EndpointsBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                .withLabels(Map.of("k8s-app", "kube-dns", "endpointslice.kubernetes.io/skip-mirror", "true")).endMetadata()
                .addNewSubset().addNewAddress().withIp(ip).endAddress()
                .addNewPort().withName("dns").withPort(port).withProtocol("UDP").endPort()
                .addNewPort().withName("dns-tcp").withPort(port).withProtocol("TCP").endPort()
                .endSubset().build();
        put(endpoints, io.fabric8.kubernetes.api.model.Endpoints.class);
        var slice = new EndpointSliceBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                .withLabels(Map.of("kubernetes.io/service-name", NAME, "endpointslice.kubernetes.io/managed-by", MANAGED_BY,
                        "k8s-app", "kube-dns"))
                .endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).withServing(true)
                .withTerminating(false).endConditions().endEndpoint()
                .addNewPort().withName("dns").withPort(port).withProtocol("UDP").endPort()
                .addNewPort().withName("dns-tcp").withPort(port).withProtocol("TCP").endPort()
                .build();
        put(slice, io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class);
    }

    private <T extends HasMetadata> void put(T object, Class<T> type) {
        Optional<T> existing = client.get(type, NAMESPACE, NAME);
        if (existing.isEmpty()) {
            create(object);
            return;
        }
        object.getMetadata().setResourceVersion(existing.get().getMetadata().getResourceVersion());
        client.update(object);
    }

    private void create(HasMetadata object) {
        try {
            client.create(object);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
            // another dns add-on (on another node) made it meanwhile: it is there, which is all that matters
        }
    }
}
