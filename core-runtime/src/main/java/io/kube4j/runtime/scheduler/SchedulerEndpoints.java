package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces where the leading scheduler serves its HTTP port, the Kubernetes way: a selector-less,
 * headless Service {@code kube-system/kube-scheduler} with the port {@value #PORT_NAME}, and the
 * subsets of the Endpoints of the same name (whose leader annotation the leader elector already
 * writes). The API server's service proxy follows them, so that
 * {@code kubectl get --raw /api/v1/namespaces/kube-system/services/kube-scheduler:http/proxy/metrics}
 * reaches the leader wherever it runs. Best effort: a failure is logged, scheduling goes on.
 */
final class SchedulerEndpoints {
    private static final Logger log = LoggerFactory.getLogger(SchedulerEndpoints.class);
    static final String NAMESPACE = "kube-system";
    static final String NAME = Scheduler.LEASE_NAME;
    static final String PORT_NAME = "http";

    private final ApiClient client;

    SchedulerEndpoints(ApiClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    /** Points the Service and Endpoints at {@code address} (a wildcard host is announced as this host's address). */
    void announce(InetSocketAddress address) {
        String ip = ip(address);
        int port = address.getPort();
        try {
            service(port);
            endpoints(ip, port);
            log.info("scheduler: serving /metrics and /debug on http://{}:{}, announced in {}/{}", ip, port, NAMESPACE, NAME);
        } catch (ApiException e) {
            log.warn("scheduler: cannot announce its address {}:{} in {}/{}: {}", ip, port, NAMESPACE, NAME, e.getMessage());
        }
    }

    private void service(int port) {
        ServicePort wanted = new ServicePortBuilder().withName(PORT_NAME).withProtocol("TCP").withPort(port)
                .withTargetPort(new IntOrString(port)).build();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Service> current = client.get(Service.class, NAMESPACE, NAME);
            try {
                if (current.isEmpty()) {
                    client.create(new ServiceBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                            .withLabels(Map.of("component", "kube-scheduler")).endMetadata()
                            .withNewSpec().withClusterIP("None").withPorts(wanted).endSpec().build());
                } else if (!samePort(current.get(), port)) {
                    client.update(new ServiceBuilder(current.get()).editSpec().withPorts(wanted).endSpec().build());
                }
                return;
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw e;
                }
            }
        }
    }

    private static boolean samePort(Service service, int port) {
        List<ServicePort> ports = service.getSpec() == null ? null : service.getSpec().getPorts();
        return ports != null && ports.size() == 1 && PORT_NAME.equals(ports.getFirst().getName())
                && ports.getFirst().getPort() == port;
    }

    private void endpoints(String ip, int port) {
        EndpointSubset subset = new EndpointSubsetBuilder().addNewAddress().withIp(ip).endAddress()
                .addNewPort().withName(PORT_NAME).withProtocol("TCP").withPort(port).endPort().build();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Endpoints> current = client.get(Endpoints.class, NAMESPACE, NAME);
            try {
                if (current.isEmpty()) {
                    client.create(new EndpointsBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                            .endMetadata().withSubsets(subset).build());
                } else {
                    // Keeps the leader annotation that the elector writes on this object.
                    client.update(new EndpointsBuilder(current.get()).withSubsets(subset).build());
                }
                return;
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw e;
                }
            }
        }
    }

    private static String ip(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        try {
            if (a == null) {
                a = InetAddress.getByName(address.getHostString());
            }
            if (a.isAnyLocalAddress()) {
                a = InetAddress.getLocalHost();
            }
        } catch (UnknownHostException e) {
            return address.getHostString();
        }
        return a.getHostAddress();
    }
}
