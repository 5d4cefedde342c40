package io.kube4j.controllers.deployment;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code deployment}: rolls Deployments out through ReplicaSets, as kube-controller-manager's. */
public final class DeploymentControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "deployment";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public String description() {
        return "rolls Deployments out through ReplicaSets: RollingUpdate (maxSurge, maxUnavailable) and Recreate";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new DeploymentController(context);
    }
}
