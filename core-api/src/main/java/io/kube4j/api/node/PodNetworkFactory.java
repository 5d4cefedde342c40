package io.kube4j.api.node;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of a pod network, listed in
 * {@code META-INF/services/io.kube4j.api.node.PodNetworkFactory}; named in a profile's
 * {@code nodes[].network.plugin} ({@code host}, {@code bridge}).
 *
 * @param <C> the network's config record
 */
public interface PodNetworkFactory<C> extends PluginFactory<C> {

    /** Makes the network for one node. May block (reading the Node's pod CIDR). */
    PodNetwork create(C config, NodeContext context);
}
