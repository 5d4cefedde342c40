package io.kube4j.controllers.resourcequota;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;

/** {@code resourcequota}: ResourceQuota status, as kube-controller-manager's. */
public final class ResourceQuotaControllerFactory implements ControllerFactory<ResourceQuotaConfig> {
    public static final String NAME = "resourcequota";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<ResourceQuotaConfig> configType() {
        return ResourceQuotaConfig.class;
    }

    @Override
    public String description() {
        return "keeps ResourceQuota status.hard and status.used (object counts, pod requests and limits) current";
    }

    @Override
    public Controller create(ResourceQuotaConfig config, ControllerContext context) {
        return new ResourceQuotaController(config, context);
    }
}
