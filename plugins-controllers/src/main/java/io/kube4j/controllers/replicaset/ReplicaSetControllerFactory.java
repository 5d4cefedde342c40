package io.kube4j.controllers.replicaset;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code replicaset}: keeps {@code spec.replicas} pods of each ReplicaSet, as kube-controller-manager's. */
public final class ReplicaSetControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "replicaset";

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
        return "creates and deletes the pods of ReplicaSets, adopts and releases them, reports their status";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new ReplicaSetController<>(ReplicaKind.REPLICA_SET, context);
    }
}
