package io.kube4j.controllers.replicaset;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/**
 * {@code replicationcontroller}: the ReplicaSet controller over v1 ReplicationControllers (equality
 * selectors), as kube-controller-manager's, which runs the same code through a conversion.
 */
public final class ReplicationControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "replicationcontroller";

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
        return "creates and deletes the pods of ReplicationControllers, adopts and releases them, reports their status";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new ReplicaSetController<>(ReplicaKind.REPLICATION_CONTROLLER, context);
    }
}
