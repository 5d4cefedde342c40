package io.kube4j.controllers.podgc;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;

/** {@code podgc}: kube-controller-manager's pod garbage collector. */
public final class PodGcControllerFactory implements ControllerFactory<PodGcConfig> {
    public static final String NAME = "podgc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<PodGcConfig> configType() {
        return PodGcConfig.class;
    }

    @Override
    public String description() {
        return "deletes terminated pods over terminatedPodGCThreshold (oldest first), pods of nodes that are gone,"
                + " and unscheduled terminating pods";
    }

    @Override
    public Controller create(PodGcConfig config, ControllerContext context) {
        return new PodGcController(config, context);
    }
}
