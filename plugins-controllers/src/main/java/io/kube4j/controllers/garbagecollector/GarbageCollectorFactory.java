package io.kube4j.controllers.garbagecollector;

import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;

/** {@code garbagecollector}: deletes objects whose owners are gone, and runs Foreground and Orphan deletions. */
public final class GarbageCollectorFactory implements ControllerFactory<NoConfig> {
    public static final String NAME = "garbagecollector";

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
        return "ownerReferences: deletes dependents of deleted owners; Background, Foreground and Orphan propagation";
    }

    @Override
    public Controller create(NoConfig config, ControllerContext context) {
        return new GarbageCollector(context);
    }
}
