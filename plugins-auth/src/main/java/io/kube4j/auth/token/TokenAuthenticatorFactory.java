package io.kube4j.auth.token;

import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.plugin.PluginContext;

/** {@code ServiceLoader} entry of the {@code token} authenticator. */
public final class TokenAuthenticatorFactory implements AuthenticatorFactory<TokenConfig> {
    public static final String NAME = "token";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<TokenConfig> configType() {
        return TokenConfig.class;
    }

    @Override
    public String description() {
        return "static bearer tokens from a CSV file (token,user,uid,\"group1,group2\")";
    }

    /** Reads the whole token file now, so that a broken file fails startup rather than requests. */
    @Override
    public Authenticator create(TokenConfig config, PluginContext context) {
        return new TokenAuthenticator(TokenFile.read(context.resolve(config.file())));
    }
}
