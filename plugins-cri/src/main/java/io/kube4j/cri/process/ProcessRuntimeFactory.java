package io.kube4j.cri.process;

import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.NodeContext;

/** {@code ServiceLoader} entry of the {@code process} runtime. */
public final class ProcessRuntimeFactory implements ContainerRuntimeFactory<ProcessRuntimeConfig> {
    public static final String NAME = "process";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<ProcessRuntimeConfig> configType() {
        return ProcessRuntimeConfig.class;
    }

    @Override
    public String description() {
        return "containers are host process groups (command + args); logs in CRI format under the node's data dir";
    }

    @Override
    public ContainerRuntime create(ProcessRuntimeConfig config, NodeContext context) {
        return new ProcessRuntime(config, context.nodeDataDir(), context.clock());
    }
}
