package io.kube4j.api.proxy;

import static java.util.Objects.requireNonNull;

/**
 * Names one port of one Service: the unit a proxy mode routes.
 *
 * @param port the port's name ({@code spec.ports[].name}), "" for a Service's single unnamed port
 */
public record ServicePortName(String namespace, String name, String port, Protocol protocol) {
    public ServicePortName {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(port, "port is null");
        requireNonNull(protocol, "protocol is null");
        if (namespace.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("a service port needs a namespace and a name: " + namespace + "/" + name);
        }
    }

    /** {@code namespace/name:port} as kube-proxy logs it ({@code namespace/name} for an unnamed port). */
    @Override
    public String toString() {
        return namespace + "/" + name + (port.isEmpty() ? "" : ":" + port);
    }
}
