package io.kube4j.network.host;

import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkFactory;

/** {@code ServiceLoader} entry of the {@code host} pod network. */
public final class HostPodNetworkFactory implements PodNetworkFactory<HostNetworkConfig> {
    public static final String NAME = "host";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<HostNetworkConfig> configType() {
        return HostNetworkConfig.class;
    }

    @Override
    public String description() {
        return "pods share the node's network: podIP is the node's InternalIP";
    }

    @Override
    public PodNetwork create(HostNetworkConfig config, NodeContext context) {
        return new HostPodNetwork(config, context);
    }
}
