package io.kube4j.network.dns;

import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.addon.AddOnFactory;

/** The {@code dns} add-on: cluster DNS for Services and Pods, with forwarding for other names. */
public final class DnsAddOnFactory implements AddOnFactory<DnsConfig> {
    public static final String NAME = "dns";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<DnsConfig> configType() {
        return DnsConfig.class;
    }

    @Override
    public String description() {
        return "cluster DNS: <svc>.<ns>.svc.<domain>, SRV, headless endpoints, <a-b-c-d>.<ns>.pod.<domain>; forwards the rest";
    }

    @Override
    public AddOn create(DnsConfig config, AddOnContext context) {
        return new DnsAddOn(config, context);
    }
}
