package io.kube4j.api.proxy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One backend of a service port, from an EndpointSlice endpoint and the slice's port.
 *
 * @param ready {@code conditions.ready}: serving and not terminating
 * @param serving {@code conditions.serving}: passing readiness, terminating or not
 * @param terminating {@code conditions.terminating}
 * @param nodeName where the endpoint runs, if known
 * @param zone the endpoint's zone, if known
 */
public record EndpointInfo(String ip, int port, boolean ready, boolean serving, boolean terminating,
                           Optional<String> nodeName, Optional<String> zone) {
    public EndpointInfo {
        requireNonNull(ip, "ip is null");
        requireNonNull(nodeName, "nodeName is null");
        requireNonNull(zone, "zone is null");
        if (ip.isBlank()) {
            throw new IllegalArgumentException("ip is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        if (ready && terminating) {
            throw new IllegalArgumentException("a terminating endpoint is never ready: " + ip);
        }
    }

    /** Whether it runs on {@code node}. */
    public boolean isOn(String node) {
        return nodeName.map(node::equals).orElse(false);
    }

    /** {@code ip:port}, with brackets for IPv6. */
    public String address() {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
