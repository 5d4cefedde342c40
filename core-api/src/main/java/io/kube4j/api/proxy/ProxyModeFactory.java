package io.kube4j.api.proxy;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of a proxy mode, listed in
 * {@code META-INF/services/io.kube4j.api.proxy.ProxyModeFactory}; named in a profile's
 * {@code proxy.mode} ({@code userspace}, {@code iptables}).
 *
 * @param <C> the mode's config record
 */
public interface ProxyModeFactory<C> extends PluginFactory<C> {

    /** Makes the mode for one node. Routes nothing until the first {@link ProxyMode#sync}. */
    ProxyMode create(C config, ProxyContext context);
}
