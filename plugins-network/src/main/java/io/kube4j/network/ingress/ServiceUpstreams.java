package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.controller.Lister;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Turns a Service port into the addresses of its ready endpoints, from the informers' caches of
 * Services and EndpointSlices (as ingress-nginx does, the proxy goes to the pods, not through the
 * cluster IP), and picks one round robin. Thread-safe.
 */
final class ServiceUpstreams {
    /** The EndpointSlice label that names its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Lister<Service> services;
    private final Lister<EndpointSlice> slices;
    private final Map<String, AtomicInteger> next = new ConcurrentHashMap<>();

    ServiceUpstreams(Lister<Service> services, Lister<EndpointSlice> slices) {
        this.services = requireNonNull(services, "services is null");
        this.slices = requireNonNull(slices, "slices is null");
    }

    /** Why a backend has no address, for the 503 page and the logs; empty when it has one. */
    sealed interface Pick {
        record To(InetSocketAddress address) implements Pick {
        }

        record None(String reason) implements Pick {
        }
    }

    Pick pick(IngressRoutes.Backend backend) {
        Optional<Service> service = services.get(backend.namespace(), backend.service());
        if (service.isEmpty()) {
            return new Pick.None("service " + backend.namespace() + "/" + backend.service() + " does not exist");
        }
        Optional<ServicePort> port = servicePort(service.get(), backend);
        if (port.isEmpty()) {
            return new Pick.None("service " + backend.namespace() + "/" + backend.service() + " has no port "
                    + (backend.portNumber() != 0 ? Integer.toString(backend.portNumber()) : backend.portName()));
        }
        List<InetSocketAddress> ready = readyAddresses(backend, port.get());
        if (ready.isEmpty()) {
            return new Pick.None("service " + backend.namespace() + "/" + backend.service() + " has no ready endpoint");
        }
        AtomicInteger counter = next.computeIfAbsent(backend.namespace() + "/" + backend.service() + ":"
                + port.get().getPort(), k -> new AtomicInteger());
        return new Pick.To(ready.get(Math.floorMod(counter.getAndIncrement(), ready.size())));
    }

    private static Optional<ServicePort> servicePort(Service service, IngressRoutes.Backend backend) {
        if (service.getSpec() == null || service.getSpec().getPorts() == null) {
            return Optional.empty();
        }
        return service.getSpec().getPorts().stream()
                .filter(p -> backend.portNumber() != 0 ? Objects.equals(p.getPort(), backend.portNumber())
                        : backend.portName().equals(p.getName()))
                .findFirst();
    }

    private List<InetSocketAddress> readyAddresses(IngressRoutes.Backend backend, ServicePort port) {
        String portName = port.getName() == null ? "" : port.getName();
        List<InetSocketAddress> ready = new ArrayList<>();
        for (EndpointSlice slice : slices.list(backend.namespace())) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels == null || !backend.service().equals(labels.get(SERVICE_NAME_LABEL)) || slice.getPorts() == null
                    || slice.getEndpoints() == null) {
                continue;
            }
            Optional<Integer> target = slice.getPorts().stream()
                    .filter(p -> portName.equals(p.getName() == null ? "" : p.getName()))
                    .map(EndpointPort::getPort).filter(Objects::nonNull).findFirst();
            if (target.isEmpty()) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean isReady = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                        || endpoint.getConditions().getReady();
                if (isReady && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
                    ready.add(InetSocketAddress.createUnresolved(endpoint.getAddresses().getFirst(), target.get()));
                }
            }
        }
        return ready;
    }
}
