package io.kube4j.controllers.serviceaccount;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code serviceaccount}: a {@code default} ServiceAccount in every namespace, as kube-controller-manager's. */
public final class ServiceAccountControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "serviceaccount";

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
        return "keeps a default ServiceAccount in every active namespace";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new ServiceAccountController(context);
    }
}
