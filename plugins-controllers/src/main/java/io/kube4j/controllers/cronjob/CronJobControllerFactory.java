package io.kube4j.controllers.cronjob;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code cronjob}: creates the Jobs of CronJobs on their schedules, as kube-controller-manager's. */
public final class CronJobControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "cronjob";

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
        return "creates the Jobs of CronJobs on their cron schedules, applies concurrencyPolicy and the history limits";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new CronJobController(context);
    }
}
