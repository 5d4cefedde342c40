package io.kube4j.auth.anonymous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kube4j.api.auth.AuthenticationRequest;
import io.kube4j.api.auth.AuthenticationResult;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestAnonymousAuthenticatorFactory {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Context(Path dataDir, Clock clock) implements PluginContext {
    }

    @Test
    void smoke() {
        Authenticator authenticator = create(Map.of());

        AuthenticationResult expected = new AuthenticationResult.Authenticated(
                new UserInfo("system:anonymous", "", List.of("system:unauthenticated"), Map.of()));
        assertThat(authenticator.authenticate(new AuthenticationRequest(Map.of(), "10.0.0.1", List.of())))
                .isEqualTo(expected);
        assertThat(authenticator.authenticate(new AuthenticationRequest(
                Map.of("authorization", List.of("Bearer whatever")), "10.0.0.1", List.of())))
                .isEqualTo(expected);
    }

    @Test
    void conditionsLimitAnonymousAccessToTheirPaths() {
        Authenticator authenticator = create(Map.of("conditions", List.of(Map.of("path", "/healthz"), Map.of("path", "/readyz"))));

        assertThat(authenticator.authenticate(new AuthenticationRequest(Map.of(), "10.0.0.1", List.of(), "/healthz")))
                .isInstanceOf(AuthenticationResult.Authenticated.class);
        assertThat(authenticator.authenticate(new AuthenticationRequest(Map.of(), "10.0.0.1", List.of(), "/readyz")))
                .isInstanceOf(AuthenticationResult.Authenticated.class);
        assertThat(authenticator.authenticate(new AuthenticationRequest(Map.of(), "10.0.0.1", List.of(), "/api/v1/pods")))
                .isEqualTo(new AuthenticationResult.NoOpinion());
        assertThat(authenticator.authenticate(new AuthenticationRequest(Map.of(), "10.0.0.1", List.of(), "/healthz/etcd")))
                .as("paths match exactly").isEqualTo(new AuthenticationResult.NoOpinion());
    }

    @Test
    void aConditionPathMustBeAbsolute() {
        assertThatThrownBy(() -> create(Map.of("conditions", List.of(Map.of("path", "healthz")))))
                .hasRootCauseMessage("a condition's path must start with '/': healthz");
    }

    @Test
    void rejectsAnyConfigKey() {
        assertThatThrownBy(() -> create(Map.of("user", "bob"))).hasCauseInstanceOf(UnrecognizedPropertyException.class);
    }

    @SuppressWarnings("unchecked")
    private static Authenticator create(Map<String, Object> config) {
        AuthenticatorFactory<Object> factory = ServiceLoader.load(AuthenticatorFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(AnonymousAuthenticatorFactory.NAME))
                .findFirst()
                .orElseThrow();
        return factory.create(MAPPER.convertValue(config, factory.configType()),
                new Context(Path.of("/nonexistent"), Clock.systemUTC()));
    }
}
