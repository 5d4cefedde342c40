package io.kube4j.auth.always;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kube4j.api.auth.AuthorizationAttributes;
import io.kube4j.api.auth.AuthorizationDecision;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.auth.AuthorizerFactory;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestAlwaysAllowAuthorizerFactory {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Context(Path dataDir, Clock clock) implements PluginContext {
    }

    @Test
    void smoke() {
        Authorizer authorizer = create(Map.of());

        assertThat(authorizer.authorize(new AuthorizationAttributes(UserInfo.of("alice", List.of()), "delete", true,
                "apps", "v1", "deployments", "", "prod", "web", "")))
                .isEqualTo(AuthorizationDecision.allow(""));
        assertThat(authorizer.authorize(new AuthorizationAttributes(
                UserInfo.of(UserInfo.ANONYMOUS, List.of(UserInfo.GROUP_UNAUTHENTICATED)), "get", false,
                "", "", "", "", "", "", "/healthz")))
                .isEqualTo(AuthorizationDecision.allow(""));
    }

    @Test
    void rejectsAnyConfigKey() {
        assertThatThrownBy(() -> create(Map.of("reason", "x"))).hasCauseInstanceOf(UnrecognizedPropertyException.class);
    }

    @SuppressWarnings("unchecked")
    private static Authorizer create(Map<String, Object> config) {
        AuthorizerFactory<Object> factory = ServiceLoader.load(AuthorizerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(AlwaysAllowAuthorizerFactory.NAME))
                .findFirst()
                .orElseThrow();
        return factory.create(MAPPER.convertValue(config, factory.configType()),
                new Context(Path.of("/nonexistent"), Clock.systemUTC()));
    }
}
