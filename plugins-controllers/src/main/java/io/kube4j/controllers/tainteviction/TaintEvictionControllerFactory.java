package io.kube4j.controllers.tainteviction;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code taint-eviction-controller}: kube-controller-manager's NoExecute taint manager. */
public final class TaintEvictionControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "taint-eviction-controller";

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
        return "deletes pods on nodes with NoExecute taints they do not tolerate, after their tolerationSeconds if any";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new TaintEvictionController(context);
    }
}
