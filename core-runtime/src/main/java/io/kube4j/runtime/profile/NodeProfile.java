package io.kube4j.runtime.profile;

import java.util.ArrayList;
import java.util.List;
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
 * @param count       how many such nodes (default 1); with more than one, {@code name} holds {@value #INDEX}, which
 *                    each node's index replaces, from 0 ({@code name: sim-{index}, count: 3}: sim-0, sim-1, sim-2)
 * @param clusterDNS  the cluster DNS servers the node's pods with {@code dnsPolicy: ClusterFirst} get in their
 *                    resolv.conf (the kube-dns Service's ClusterIP, 10.96.0.10); default none: such pods get the
 *                    node's own resolv.conf, as a kubelet without {@code clusterDNS}
 * @param clusterDomain the cluster's DNS domain, for the pods' search list (default cluster.local)
 */
public record NodeProfile(String name, PluginSlot runtime, PluginSlot network, String address, Integer kubeletPort,
                          Map<String, String> labels, String staticPodPath, Integer count,
                          List<String> clusterDNS, String clusterDomain) {
    /** The place of a node's index in the name of an entry with a {@code count}. */
    public static final String INDEX = "{index}";

    public NodeProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("nodes[].name is required");
        }
        count = count == null ? 1 : count;
        if (count < 1) {
            throw new IllegalArgumentException("nodes[].count must be at least 1: " + count);
        }
        if (count > 1 && !name.contains(INDEX)) {
            throw new IllegalArgumentException("nodes[].name must contain " + INDEX + " when nodes[].count is more than 1"
                    + " (name: sim-" + INDEX + "): " + name);
        }
        if (count == 1 && name.contains(INDEX)) {
            throw new IllegalArgumentException("nodes[].name holds " + INDEX + " but nodes[].count is not set: " + name);
        }
        String sample = name.replace(INDEX, Integer.toString(count - 1));
        if (!sample.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") || sample.length() > 253) {
            throw new IllegalArgumentException("nodes[].name must be a DNS subdomain (lower case letters, digits, '-' and '.'): "
                    + name);
        }
        runtime = runtime == null ? PluginSlot.of("process") : runtime;
        network = network == null ? PluginSlot.of("host") : network;
        address = address == null ? "127.0.0.1" : address.strip();
        kubeletPort = kubeletPort == null ? 0 : kubeletPort;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        staticPodPath = staticPodPath == null ? "" : staticPodPath.strip();
        clusterDNS = clusterDNS == null ? List.of() : clusterDNS.stream().map(String::strip).toList();
        for (String server : clusterDNS) {
            if (!server.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("nodes[].clusterDNS must list IP addresses: " + server);
            }
        }
        if (clusterDNS.size() > 3) {
            throw new IllegalArgumentException("nodes[].clusterDNS may list at most 3 servers (resolv.conf's limit): "
                    + clusterDNS);
        }
        clusterDomain = clusterDomain == null ? "cluster.local" : clusterDomain.strip();
        if (address.isEmpty() || address.contains(":")) {
            throw new IllegalArgumentException("nodes[].address must be an IPv4 address without a port: " + address);
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("nodes[].kubeletPort must be in 0..65535: " + kubeletPort);
        }
        if (count > 1 && kubeletPort != 0) {
            throw new IllegalArgumentException("nodes[].kubeletPort must be 0 when nodes[].count is more than 1: "
                    + kubeletPort);
        }
    }

    /** One node, as the profile's nodes were written before {@code count}. */
    public NodeProfile(String name, PluginSlot runtime, PluginSlot network, String address, Integer kubeletPort,
                       Map<String, String> labels) {
        this(name, runtime, network, address, kubeletPort, labels, null, null, null, null);
    }

    /** A node with the default runtime and network (tests, embedding). */
    public static NodeProfile of(String name) {
        return new NodeProfile(name, null, null, null, null, null, null, null, null, null);
    }

    /** The nodes this entry declares: itself, or {@link #count()} copies named by their index, each with a count of 1. */
    public List<NodeProfile> expand() {
        if (count == 1) {
            return List.of(this);
        }
        List<NodeProfile> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(new NodeProfile(name.replace(INDEX, Integer.toString(i)), runtime, network, address, kubeletPort,
                    labels, staticPodPath, 1, clusterDNS, clusterDomain));
        }
        return nodes;
    }
}
