package io.kube4j.controllers.nodeipam;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;

/** {@code nodeipam}: a pod subnet for every Node, as kube-controller-manager's with {@code --allocate-node-cidrs}. */
public final class NodeIpamControllerFactory implements ControllerFactory<NodeIpamConfig> {
    public static final String NAME = "nodeipam";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NodeIpamConfig> configType() {
        return NodeIpamConfig.class;
    }

    @Override
    public String description() {
        return "gives every Node a spec.podCIDR from the cluster CIDR (default 10.244.0.0/16, /24 a node)";
    }

    @Override
    public Controller create(NodeIpamConfig config, ControllerContext context) {
        return new NodeIpamController(config, context);
    }
}
