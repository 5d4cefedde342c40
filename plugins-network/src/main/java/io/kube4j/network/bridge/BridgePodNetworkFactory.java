package io.kube4j.network.bridge;

import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkFactory;

/** {@code ServiceLoader} entry of the {@code bridge} pod network. */
public final class BridgePodNetworkFactory implements PodNetworkFactory<BridgeNetworkConfig> {
    public static final String NAME = "bridge";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<BridgeNetworkConfig> configType() {
        return BridgeNetworkConfig.class;
    }

    @Override
    public String description() {
        return "a network namespace per pod on a per-node Linux bridge, wired by the real CNI plugins; IPs from spec.podCIDR";
    }

    @Override
    public PodNetwork create(BridgeNetworkConfig config, NodeContext context) {
        return new BridgePodNetwork(config, context, new CniExecutor(config.cniBinDir(), config.netns()));
    }
}
