package io.kube4j.cri.simulated;

import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.NodeContext;

/** {@code ServiceLoader} entry of the {@code simulated} runtime. */
public final class SimulatedRuntimeFactory implements ContainerRuntimeFactory<SimulatedRuntimeConfig> {
    public static final String NAME = "simulated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SimulatedRuntimeConfig> configType() {
        return SimulatedRuntimeConfig.class;
    }

    @Override
    public String description() {
        return "runs nothing (kwok-like): containers go Running after startDelay; pods annotated kube4j.io/simulate:"
                + " complete|fail exit after runFor; capacity from the config";
    }

    @Override
    public ContainerRuntime create(SimulatedRuntimeConfig config, NodeContext context) {
        return new SimulatedRuntime(config, context.clock());
    }
}
