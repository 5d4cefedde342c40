package io.kube4j.controllers.endpoints;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code endpoint}: the Endpoints of each Service with a selector, as kube-controller-manager's. */
public final class EndpointsControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "endpoint";

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
        return "keeps the Endpoints of each Service with a selector: its pods' addresses, ready and not ready, and resolved ports";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new EndpointsController(context);
    }
}
