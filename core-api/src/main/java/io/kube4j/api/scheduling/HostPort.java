package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

/**
 * A host port a pod uses on its node ({@code containers[].ports[].hostPort}).
 *
 * @param ip the host IP it binds, {@link #ANY_IP} for all
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
 * @param port 1..65535
 */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    public HostPort {
        requireNonNull(ip, "ip is null");
        requireNonNull(protocol, "protocol is null");
        if (ip.isBlank()) {
            throw new IllegalArgumentException("ip is blank (use " + ANY_IP + ")");
        }
        if (!protocol.equals("TCP") && !protocol.equals("UDP") && !protocol.equals("SCTP")) {
            throw new IllegalArgumentException("protocol must be TCP, UDP or SCTP: " + protocol);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
    }

    /** Whether both cannot be bound on one node: same protocol and port, and the same IP or either on all IPs. */
    public boolean conflictsWith(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP));
    }
}
