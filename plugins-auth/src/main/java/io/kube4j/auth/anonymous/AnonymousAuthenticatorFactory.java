package io.kube4j.auth.anonymous;

import io.kube4j.api.auth.AuthenticationResult;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.plugin.PluginContext;
import java.util.List;

/**
 * {@code ServiceLoader} entry of the {@code anonymous} authenticator, which answers every request
 * with {@code system:anonymous} in group {@code system:unauthenticated}, as kube-apiserver's
 * {@code --anonymous-auth}. Put it last: it never says no opinion, so nothing after it is asked.
 */
public final class AnonymousAuthenticatorFactory implements AuthenticatorFactory<NoConfig> {
    public static final String NAME = "anonymous";

    private static final AuthenticationResult ANONYMOUS = new AuthenticationResult.Authenticated(
            UserInfo.of(UserInfo.ANONYMOUS, List.of(UserInfo.GROUP_UNAUTHENTICATED)));

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
        return "every request is system:anonymous (group system:unauthenticated)";
    }

    @Override
    public Authenticator create(NoConfig config, PluginContext context) {
        return request -> ANONYMOUS;
    }
}
