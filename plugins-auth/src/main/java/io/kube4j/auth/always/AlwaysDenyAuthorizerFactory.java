package io.kube4j.auth.always;

import io.kube4j.api.auth.AuthorizationDecision;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.auth.AuthorizerFactory;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.plugin.PluginContext;

/**
 * {@code ServiceLoader} entry of the {@code always-deny} authorizer: every request is denied, with
 * kube-apiserver's AlwaysDeny wording. It answers DENY rather than upstream's no opinion so that
 * authorizers after it in the profile cannot allow anything, which is what its name promises.
 */
public final class AlwaysDenyAuthorizerFactory implements AuthorizerFactory<NoConfig> {
    public static final String NAME = "always-deny";

    private static final AuthorizationDecision DENY = AuthorizationDecision.deny("Everything is forbidden.");

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
        return "denies every request";
    }

    @Override
    public Authorizer create(NoConfig config, PluginContext context) {
        return attributes -> DENY;
    }
}
