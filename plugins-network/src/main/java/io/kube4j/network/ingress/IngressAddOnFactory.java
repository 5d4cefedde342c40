package io.kube4j.network.ingress;

import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.addon.AddOnFactory;

/** The {@code ingress} add-on: an HTTP(S) reverse proxy driven by networking.k8s.io/v1 Ingresses. */
public final class IngressAddOnFactory implements AddOnFactory<IngressConfig> {
    public static final String NAME = "ingress";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<IngressConfig> configType() {
        return IngressConfig.class;
    }

    @Override
    public String description() {
        return "ingress controller: routes HTTP and HTTPS by Ingress hosts and paths to the Services' ready endpoints";
    }

    @Override
    public AddOn create(IngressConfig config, AddOnContext context) {
        return new IngressAddOn(config, context);
    }
}
