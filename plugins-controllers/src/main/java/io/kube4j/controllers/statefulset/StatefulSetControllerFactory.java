package io.kube4j.controllers.statefulset;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code statefulset}: keeps the ordered, stably named pods of StatefulSets and rolls them through revisions. */
public final class StatefulSetControllerFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "statefulset";

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
        return "creates, deletes and updates the ordered pods of StatefulSets through ControllerRevisions, reports their status";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new StatefulSetController(context);
    }
}
