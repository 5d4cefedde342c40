package io.kube4j.controllers.ttlafterfinished;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code ttl-after-finished}: deletes finished Jobs once their {@code ttlSecondsAfterFinished} has passed. */
public final class TtlAfterFinishedControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "ttl-after-finished";

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
        return "deletes Jobs ttlSecondsAfterFinished after they completed or failed";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new TtlAfterFinishedController(context);
    }
}
