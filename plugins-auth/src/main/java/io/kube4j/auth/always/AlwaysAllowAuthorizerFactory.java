package io.kube4j.auth.always;

import io.kube4j.api.auth.AuthorizationDecision;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.auth.AuthorizerFactory;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.plugin.PluginContext;

/** {@code ServiceLoader} entry of the {@code always-allow} authorizer: every request is allowed. */
public final class AlwaysAllowAuthorizerFactory implements AuthorizerFactory<NoConfig> {
    public static final String NAME = "always-allow";

    private static final AuthorizationDecision ALLOW = AuthorizationDecision.allow("");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public String description() {
        return "allows every request";
    }

    @Override
    public Authorizer create(NoConfig config, PluginContext context) {
        return attributes -> ALLOW;
    }
}
