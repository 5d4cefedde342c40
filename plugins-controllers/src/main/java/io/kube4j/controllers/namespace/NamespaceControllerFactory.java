package io.kube4j.controllers.namespace;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code namespace}: empties a namespace being deleted, then finalizes it, as kube-controller-manager's. */
public final class NamespaceControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "namespace";

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
        return "deletes the content of a deleted namespace, then removes its kubernetes finalizer";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new NamespaceController(context);
    }
}
