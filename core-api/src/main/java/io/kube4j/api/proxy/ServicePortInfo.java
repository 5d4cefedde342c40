package io.kube4j.api.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How one service port is reached, from the Service's spec. Headless services
 * ({@code clusterIP: None}) are never proxied and so never appear.
 *
 * @param clusterIP the virtual IP ({@code spec.clusterIP})
 * @param port the service port on the cluster IP
 * @param nodePort the port opened on every node, 0 for none
 * @param stickyMaxAge how long CLIENT_IP affinity lasts ({@code timeoutSeconds}, 3 hours by default); zero with NONE
 * @param externalIPs {@code spec.externalIPs}
 * @param loadBalancerIPs {@code status.loadBalancer.ingress[].ip}
 */
public record ServicePortInfo(String clusterIP, int port, Protocol protocol, int nodePort,
                              SessionAffinity sessionAffinity, Duration stickyMaxAge, List<String> externalIPs,
                              List<String> loadBalancerIPs, TrafficPolicy internalTrafficPolicy,
                              TrafficPolicy externalTrafficPolicy) {

    public static final Duration DEFAULT_STICKY_MAX_AGE = Duration.ofHours(3);

    public ServicePortInfo {
        requireNonNull(clusterIP, "clusterIP is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(sessionAffinity, "sessionAffinity is null");
        requireNonNull(stickyMaxAge, "stickyMaxAge is null");
        externalIPs = List.copyOf(requireNonNull(externalIPs, "externalIPs is null"));
        loadBalancerIPs = List.copyOf(requireNonNull(loadBalancerIPs, "loadBalancerIPs is null"));
        requireNonNull(internalTrafficPolicy, "internalTrafficPolicy is null");
        requireNonNull(externalTrafficPolicy, "externalTrafficPolicy is null");
        if (clusterIP.isBlank() || clusterIP.equals("None")) {
            throw new IllegalArgumentException("a proxied service has a cluster IP: '" + clusterIP + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        if (nodePort < 0 || nodePort > 65535) {
            throw new IllegalArgumentException("nodePort must be 0 or in 1..65535: " + nodePort);
        }
        boolean sticky = sessionAffinity == SessionAffinity.CLIENT_IP;
        if (sticky && (stickyMaxAge.isZero() || stickyMaxAge.isNegative())) {
            throw new IllegalArgumentException("CLIENT_IP affinity needs a positive stickyMaxAge: " + stickyMaxAge);
        }
        if (!sticky && !stickyMaxAge.isZero()) {
            throw new IllegalArgumentException("stickyMaxAge is only for CLIENT_IP affinity");
        }
    }

    /** A plain ClusterIP service port: no node port, no affinity, cluster-wide policies. */
    public static ServicePortInfo clusterIp(String clusterIP, int port, Protocol protocol) {
        return new ServicePortInfo(clusterIP, port, protocol, 0, SessionAffinity.NONE, Duration.ZERO, List.of(), List.of(),
                TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
    }
}
