package io.kube4j.runtime.proxy;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reduces Services and EndpointSlices to a {@link ProxyState}, as kube-proxy's service and
 * endpoints change trackers do: one entry per port of each Service that has a cluster IP (headless
 * and ExternalName Services are not proxied), and for it the endpoints of every slice labelled
 * {@code kubernetes.io/service-name} with the Service's name whose port has the same name and
 * protocol, each address once.
 */
public final class ProxyStates {
    /** The label that ties an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ProxyStates() {
    }

    /** The state of these objects; objects that cannot be proxied are left out, never an error. */
    public static ProxyState of(List<Service> services, List<EndpointSlice> slices) {
        Map<ServicePortName, ServicePortInfo> ports = new HashMap<>();
        for (Service service : services) {
            ports.putAll(ports(service));
        }
        Map<ServicePortName, Map<String, EndpointInfo>> endpoints = new HashMap<>();
        for (EndpointSlice slice : slices) {
            addEndpoints(slice, ports, endpoints);
        }
        Map<ServicePortName, List<EndpointInfo>> sorted = new HashMap<>();
        endpoints.forEach((port, byAddress) -> sorted.put(port, byAddress.values().stream()
                .sorted(Comparator.comparing(EndpointInfo::ip).thenComparingInt(EndpointInfo::port)).toList()));
        return new ProxyState(ports, sorted);
    }

    /** The service ports whose info or endpoints differ between the two states, those gone included. */
    public static Set<ServicePortName> changed(ProxyState before, ProxyState after) {
        Set<ServicePortName> changed = new HashSet<>();
        Set<ServicePortName> all = new HashSet<>(before.services().keySet());
        all.addAll(after.services().keySet());
        for (ServicePortName port : all) {
            if (!Objects.equals(before.services().get(port), after.services().get(port))
                    || !before.endpoints(port).equals(after.endpoints(port))) {
                changed.add(port);
            }
        }
        return changed;
    }

    static Map<ServicePortName, ServicePortInfo> ports(Service service) {
        ServiceSpec spec = service.getSpec();
        if (spec == null || spec.getPorts() == null || "ExternalName".equals(spec.getType())) {
            return Map.of();
        }
        String clusterIP = spec.getClusterIP();
        if (clusterIP == null || clusterIP.isBlank() || clusterIP.equals("None")) {
            return Map.of();
        }
        String namespace = Optional.ofNullable(service.getMetadata().getNamespace()).orElse("default");
        String name = service.getMetadata().getName();
        boolean sticky = "ClientIP".equals(spec.getSessionAffinity());
        Duration maxAge = Duration.ZERO;
        if (sticky) {
            Integer timeout = spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                    ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            maxAge = timeout == null || timeout <= 0 ? ServicePortInfo.DEFAULT_STICKY_MAX_AGE : Duration.ofSeconds(timeout);
        }
        boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        List<String> externalIPs = spec.getExternalIPs() == null ? List.of() : spec.getExternalIPs();
        List<String> lbIPs = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() != null && !ingress.getIp().isBlank()) {
                    lbIPs.add(ingress.getIp());
                }
            }
        }
        Map<ServicePortName, ServicePortInfo> result = new LinkedHashMap<>();
        for (ServicePort port : spec.getPorts()) {
            if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
                continue;
            }
            Protocol protocol = protocol(port.getProtocol());
            int nodePort = nodePorts && port.getNodePort() != null ? port.getNodePort() : 0;
            result.put(new ServicePortName(namespace, name, Objects.toString(port.getName(), ""), protocol),
                    new ServicePortInfo(clusterIP, port.getPort(), protocol, nodePort,
                            sticky ? SessionAffinity.CLIENT_IP : SessionAffinity.NONE, maxAge, externalIPs, lbIPs,
                            policy(spec.getInternalTrafficPolicy()), policy(spec.getExternalTrafficPolicy())));
        }
        return result;
    }

    private static void addEndpoints(EndpointSlice slice, Map<ServicePortName, ServicePortInfo> ports,
                                     Map<ServicePortName, Map<String, EndpointInfo>> endpoints) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        if (service == null || slice.getPorts() == null || slice.getEndpoints() == null
                || "FQDN".equals(slice.getAddressType())) {
            return;
        }
        String namespace = Optional.ofNullable(slice.getMetadata().getNamespace()).orElse("default");
        for (EndpointPort port : slice.getPorts()) {
            if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
                continue;
            }
            ServicePortName name = new ServicePortName(namespace, service, Objects.toString(port.getName(), ""),
                    protocol(port.getProtocol()));
            if (!ports.containsKey(name)) {
                continue;
            }
            Map<String, EndpointInfo> byAddress = endpoints.computeIfAbsent(name, n -> new LinkedHashMap<>());
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                EndpointInfo info = endpoint(endpoint, port.getPort());
                // Two slices may list one address while the controller moves it; a ready copy wins.
                byAddress.merge(info.address(), info, (a, b) -> a.ready() ? a : b);
            }
        }
    }

    private static EndpointInfo endpoint(Endpoint endpoint, int port) {
        EndpointConditions conditions = endpoint.getConditions();
        // Unset conditions mean ready, serving when ready, not terminating (discovery.k8s.io/v1).
        boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
        boolean ready = (conditions == null || conditions.getReady() == null || conditions.getReady()) && !terminating;
        boolean serving = conditions == null || conditions.getServing() == null ? ready : conditions.getServing();
        return new EndpointInfo(endpoint.getAddresses().getFirst(), port, ready, serving, terminating,
                Optional.ofNullable(endpoint.getNodeName()).filter(n -> !n.isBlank()),
                Optional.ofNullable(endpoint.getZone()).filter(z -> !z.isBlank()));
    }

    private static Protocol protocol(String protocol) {
        return protocol == null ? Protocol.TCP : switch (protocol) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
    }

    private static TrafficPolicy policy(String policy) {
        return "Local".equals(policy) ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER;
    }
}
