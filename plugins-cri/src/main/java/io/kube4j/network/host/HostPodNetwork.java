package io.kube4j.network.host;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkRequest;
import io.kube4j.api.node.PodNetworkStatus;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods use the node's network namespace; nothing is wired. The pod IP is the node's
 * {@code InternalIP}, read once from the Node the kubelet registered (before it runs any pod).
 */
final class HostPodNetwork implements PodNetwork {
    private final HostNetworkConfig config;
    private final NodeContext context;
    private final Set<String> wired = ConcurrentHashMap.newKeySet();
    private volatile String nodeIp;

    HostPodNetwork(HostNetworkConfig config, NodeContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public boolean needsPodNamespace() {
        return false;
    }

    @Override
    public PodNetworkStatus setUpPod(PodNetworkRequest request) {
        PodNetworkStatus status = new PodNetworkStatus(java.util.List.of(ip()), request.interfaceName());
        wired.add(request.sandboxId());
        return status;
    }

    @Override
    public void tearDownPod(PodNetworkRequest request) {
        wired.remove(request.sandboxId());
    }

    @Override
    public Optional<PodNetworkStatus> status(PodNetworkRequest request) {
        return wired.contains(request.sandboxId())
                ? Optional.of(new PodNetworkStatus(java.util.List.of(ip()), request.interfaceName()))
                : Optional.empty();
    }

    private String ip() {
        if (!config.ip().isEmpty()) {
            return config.ip();
        }
        String known = nodeIp;
        if (known != null) {
            return known;
        }
        Node node;
        try {
            node = context.client().get(Node.class, "", context.nodeName()).orElseThrow(() ->
                    new ContainerRuntimeException("node " + context.nodeName() + " is not registered yet"));
        } catch (ApiException e) {
            throw new ContainerRuntimeException("cannot read node " + context.nodeName() + ": " + e.getMessage(), e);
        }
        String ip = node.getStatus() == null || node.getStatus().getAddresses() == null ? null
                : node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                        .map(NodeAddress::getAddress).findFirst().orElse(null);
        if (ip == null) {
            throw new ContainerRuntimeException("node " + context.nodeName() + " has no InternalIP address");
        }
        nodeIp = ip;
        return ip;
    }
}
