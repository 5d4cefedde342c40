package io.kube4j.controllers.job;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code job}: runs the pods of each Job to completion, as kube-controller-manager's. */
public final class JobControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "job";

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
        return "runs the pods of Jobs: completions, parallelism, backoffLimit, activeDeadlineSeconds, conditions Complete and Failed";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new JobController(context);
    }
}
