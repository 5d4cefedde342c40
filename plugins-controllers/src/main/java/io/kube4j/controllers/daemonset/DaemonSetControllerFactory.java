package io.kube4j.controllers.daemonset;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code daemonset}: one pod of each DaemonSet on every eligible node, as kube-controller-manager's. */
public final class DaemonSetControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "daemonset";

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
        return "runs one pod of each DaemonSet on every node its nodeSelector, affinity and tolerations allow, nodes added later included";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new DaemonSetController(context);
    }
}
