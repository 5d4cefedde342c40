package io.kube4j.api.node;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of a container runtime, listed in
 * {@code META-INF/services/io.kube4j.api.node.ContainerRuntimeFactory}; named in a profile's
 * {@code nodes[].runtime.plugin} ({@code process}, {@code runc}, {@code simulated}).
 *
 * @param <C> the runtime's config record
 */
public interface ContainerRuntimeFactory<C> extends PluginFactory<C> {

    /** Opens the runtime for one node; may block while it recovers its state. The kubelet closes it. */
    ContainerRuntime create(C config, NodeContext context);
}
