package io.kube4j.api.proxy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Everything a proxy mode routes, at one moment: each service port and its endpoints. Immutable;
 * built by the proxy host from its informers.
 *
 * @param services every proxied service port
 * @param endpoints the endpoints of each service port, in a stable order; a port without
 *        endpoints may be missing. Endpoints of ports not in {@code services} are ignored
 */
public record ProxyState(Map<ServicePortName, ServicePortInfo> services,
                         Map<ServicePortName, List<EndpointInfo>> endpoints) {

    public static final ProxyState EMPTY = new ProxyState(Map.of(), Map.of());

    public ProxyState {
        services = Map.copyOf(requireNonNull(services, "services is null"));
        requireNonNull(endpoints, "endpoints is null");
        endpoints = endpoints.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> List.copyOf(entry.getValue())));
    }

    /** All endpoints of {@code port}, usable or not. */
    public List<EndpointInfo> endpoints(ServicePortName port) {
        return endpoints.getOrDefault(port, List.of());
    }

    /**
     * The endpoints traffic to {@code port} may go to: the ready ones; when none is ready, the
     * ones that still serve while terminating, so that a rolling update does not drop
     * connections (kube-proxy's fallback).
     */
    public List<EndpointInfo> usableEndpoints(ServicePortName port) {
        return usable(port, Optional.empty());
    }

    /** Like {@link #usableEndpoints}, among those on {@code nodeName} only, for LOCAL traffic policies. */
    public List<EndpointInfo> usableLocalEndpoints(ServicePortName port, String nodeName) {
        return usable(port, Optional.of(nodeName));
    }

    private List<EndpointInfo> usable(ServicePortName port, Optional<String> node) {
        Predicate<EndpointInfo> here = endpoint -> node.map(endpoint::isOn).orElse(true);
        List<EndpointInfo> candidates = endpoints(port).stream().filter(here).toList();
        List<EndpointInfo> ready = candidates.stream().filter(EndpointInfo::ready).toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return candidates.stream().filter(endpoint -> endpoint.serving() && endpoint.terminating()).toList();
    }
}
