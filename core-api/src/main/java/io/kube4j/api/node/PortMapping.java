package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * A container port published on the node ({@code hostPort}).
 *
 * @param hostIp the node address to bind, "" for all
 */
public record PortMapping(Protocol protocol, int containerPort, int hostPort, String hostIp) {
    public PortMapping {
        requireNonNull(protocol, "protocol is null");
        requireNonNull(hostIp, "hostIp is null");
        checkPort("containerPort", containerPort);
        checkPort("hostPort", hostPort);
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535: " + port);
        }
    }
}
