package io.kube4j.controllers.nodelifecycle;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;

/** {@code nodelifecycle}: node health from Leases and status, condition taints, as kube-controller-manager's. */
public final class NodeLifecycleControllerFactory implements ControllerFactory<NodeLifecycleConfig> {
    public static final String NAME = "nodelifecycle";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NodeLifecycleConfig> configType() {
        return NodeLifecycleConfig.class;
    }

    @Override
    public String description() {
        return "marks nodes whose Lease and status stop being renewed Unknown, taints nodes by their conditions"
                + " (not-ready, unreachable, pressure, unschedulable) and marks the pods of not-ready nodes not ready";
    }

    @Override
    public Controller create(NodeLifecycleConfig config, ControllerContext context) {
        return new NodeLifecycleController(config, context);
    }
}
