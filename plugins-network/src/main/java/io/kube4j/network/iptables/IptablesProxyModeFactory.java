package io.kube4j.network.iptables;

import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;

/** {@code ServiceLoader} entry of the {@code iptables} proxy mode. */
public final class IptablesProxyModeFactory implements ProxyModeFactory<IptablesConfig> {
    public static final String NAME = "iptables";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<IptablesConfig> configType() {
        return IptablesConfig.class;
    }

    @Override
    public String description() {
        return "kube-proxy's iptables mode: DNAT rules in the kernel, written with iptables-restore";
    }

    @Override
    public ProxyMode create(IptablesConfig config, ProxyContext context) {
        return new IptablesProxyMode(config, context.nodeName());
    }
}
