package io.kube4j.network.userspace;

import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;

/** {@code ServiceLoader} entry of the {@code userspace} proxy mode. */
public final class UserspaceProxyModeFactory implements ProxyModeFactory<UserspaceProxyConfig> {
    public static final String NAME = "userspace";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<UserspaceProxyConfig> configType() {
        return UserspaceProxyConfig.class;
    }

    @Override
    public String description() {
        return "a Java TCP/UDP listener per service port on its cluster IP and node port; needs root for the dummy interface";
    }

    /** Creates the dummy interface at once, so that a missing privilege fails the start, not the first sync. */
    @Override
    public ProxyMode create(UserspaceProxyConfig config, ProxyContext context) {
        return new UserspaceProxy(config, context.nodeName(), context.nodeIps(),
                config.interfaceName().isEmpty() ? LocalAddresses.NONE : InterfaceAddresses.create(config.interfaceName()));
    }
}
