package io.kube4j.auth.anonymous;

import io.kube4j.api.auth.AuthenticationResult;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.plugin.PluginContext;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ServiceLoader} entry of the {@code anonymous} authenticator, which answers requests with
 * {@code system:anonymous} in group {@code system:unauthenticated}, as kube-apiserver's
 * {@code --anonymous-auth}: every request, or with {@code conditions} only requests to those paths
 * (the others get no opinion, so they end in 401). Put it last: nothing after it is asked.
 */
public final class AnonymousAuthenticatorFactory implements AuthenticatorFactory<AnonymousConfig> {
    public static final String NAME = "anonymous";

    private static final AuthenticationResult ANONYMOUS = new AuthenticationResult.Authenticated(
            UserInfo.of(UserInfo.ANONYMOUS, List.of(UserInfo.GROUP_UNAUTHENTICATED)));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<AnonymousConfig> configType() {
        return AnonymousConfig.class;
    }

    @Override
    public String description() {
        return "requests nobody else identified are system:anonymous (group system:unauthenticated);"
                + " conditions: [{path: /healthz}] limits that to those paths";
    }

    @Override
    public Authenticator create(AnonymousConfig config, PluginContext context) {
        if (config.conditions().isEmpty()) {
            return request -> ANONYMOUS;
        }
        Set<String> paths = config.conditions().stream().map(AnonymousConfig.Condition::path).collect(Collectors.toUnmodifiableSet());
        return request -> paths.contains(request.path()) ? ANONYMOUS : new AuthenticationResult.NoOpinion();
    }
}
