package io.kube4j.controllers.endpoints;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code endpointslice}: the discovery.k8s.io/v1 EndpointSlices of each Service with a selector, as kube-controller-manager's. */
public final class EndpointSliceControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "endpointslice";

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
        return "keeps the EndpointSlices of each Service with a selector: its pods as endpoints with ready, serving and terminating conditions, at most 100 a slice";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new EndpointSliceController(context);
    }
}
