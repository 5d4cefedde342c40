package io.kube4j.samples.scheduling;

import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of the example Permit plugin {@code GangPermit}: all of a gang's pods bind, or none. */
public final class GangPermitFactory implements SchedulingPluginFactory<GangPermitArgs> {
    public static final String NAME = "GangPermit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<GangPermitArgs> configType() {
        return GangPermitArgs.class;
    }

    @Override
    public String description() {
        return "example: holds the pods of a gang (label " + GangPermitPlugin.GANG_LABEL + ", annotation "
                + GangPermitPlugin.SIZE_ANNOTATION + ") at Permit until the whole gang is reserved";
    }

    @Override
    public SchedulingPlugin create(GangPermitArgs config, SchedulingContext context) {
        return new GangPermitPlugin(config, context);
    }
}
