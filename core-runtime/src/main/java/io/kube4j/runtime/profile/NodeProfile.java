package io.kube4j.runtime.profile;

import java.util.Map;

/**
 * One entry of a profile's {@code nodes:} section: a kubelet that runs in this process.
 *
 * @param name        the Node's name, a DNS subdomain (required)
 * @param runtime     the container runtime slot (default {@code process})
 * @param network     the pod network slot (default {@code host})
 * @param address     the node's InternalIP: where its kubelet listens, and the pods' IP on the {@code host} network (default 127.0.0.1)
 * @param kubeletPort the port the kubelet serves logs on (default 0: any free port, so that several nodes share a machine)
 * @param labels      more labels for the Node, beside the kubernetes.io/hostname, os and arch ones the kubelet sets
 * @param staticPodPath a directory of Pod manifests the kubelet runs as static pods, relative to the
 *                    cluster's dataDir unless absolute (default "": none)
 */
public record NodeProfile(String name, PluginSlot runtime, PluginSlot network, String address, Integer kubeletPort,
                          Map<String, String> labels, String staticPodPath) {
    public NodeProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("nodes[].name is required");
        }
        if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") || name.length() > 253) {
            throw new IllegalArgumentException("nodes[].name must be a DNS subdomain (lower case letters, digits, '-' and '.'): "
                    + name);
        }
        runtime = runtime == null ? PluginSlot.of("process") : runtime;
        network = network == null ? PluginSlot.of("host") : network;
        address = address == null ? "127.0.0.1" : address.strip();
        kubeletPort = kubeletPort == null ? 0 : kubeletPort;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        staticPodPath = staticPodPath == null ? "" : staticPodPath.strip();
        if (address.isEmpty() || address.contains(":")) {
            throw new IllegalArgumentException("nodes[].address must be an IPv4 address without a port: " + address);
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("nodes[].kubeletPort must be in 0..65535: " + kubeletPort);
        }
    }

    /** A node with the default runtime and network (tests, embedding). */
    public static NodeProfile of(String name) {
        return new NodeProfile(name, null, null, null, null, null, null);
    }
}
