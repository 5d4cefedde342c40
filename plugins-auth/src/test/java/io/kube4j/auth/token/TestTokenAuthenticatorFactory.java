package io.kube4j.auth.token;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTokenAuthenticatorFactory {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Context(Path dataDir, Clock clock) implements PluginContext {
    }

    @TempDir
    Path dataDir;

    @Test
    void smoke() throws Exception {
        Files.writeString(dataDir.resolve("tokens.csv"), "secret-token,admin,42,\"system:masters,ops\"\n");

        Authenticator authenticator = create(Map.of("file", "tokens.csv"));

        assertThat(authenticator.authenticate(bearer("secret-token"))).isEqualTo(new AuthenticationResult.Authenticated(
                new UserInfo("admin", "42", List.of("system:masters", "ops", UserInfo.GROUP_AUTHENTICATED), Map.of())));
    }

    @Test
    void unknownTokenIsRejected() throws Exception {
        Files.writeString(dataDir.resolve("tokens.csv"), "secret-token,admin,42\n");
        Authenticator authenticator = create(Map.of("file", "tokens.csv"));

        assertThat(authenticator.authenticate(bearer("secret-tokeN")))
                .isEqualTo(new AuthenticationResult.Rejected("invalid bearer token"));
        assertThat(authenticator.authenticate(bearer("secret-token-longer")))
                .isEqualTo(new AuthenticationResult.Rejected("invalid bearer token"));
    }

    @Test
    void noBearerTokenIsNoOpinion() throws Exception {
        Files.writeString(dataDir.resolve("tokens.csv"), "secret-token,admin,42\n");
        Authenticator authenticator = create(Map.of("file", "tokens.csv"));

        assertThat(authenticator.authenticate(request(Map.of()))).isEqualTo(new AuthenticationResult.NoOpinion());
        assertThat(authenticator.authenticate(request(Map.of("authorization", List.of("Basic YWRtaW46YWRtaW4=")))))
                .isEqualTo(new AuthenticationResult.NoOpinion());
    }

    @Test
    void authenticatedGroupIsNotAddedTwice() throws Exception {
        Files.writeString(dataDir.resolve("tokens.csv"), "t,admin,42,\"system:authenticated,ops\"\n");

        AuthenticationResult result = create(Map.of("file", "tokens.csv")).authenticate(bearer("t"));

        assertThat(((AuthenticationResult.Authenticated) result).user().groups())
                .containsExactly(UserInfo.GROUP_AUTHENTICATED, "ops");
    }

    @Test
    void absolutePathIsUsedAsIs(@TempDir Path elsewhere) throws Exception {
        Path file = elsewhere.resolve("tokens.csv");
        Files.writeString(file, "t,admin,42\n");

        assertThat(create(Map.of("file", file.toString())).authenticate(bearer("t")))
                .isInstanceOf(AuthenticationResult.Authenticated.class);
    }

    @Test
    void brokenFileFailsCreation() throws Exception {
        Path file = dataDir.resolve("tokens.csv");
        Files.writeString(file, "t,admin\n");

        assertThatThrownBy(() -> create(Map.of("file", "tokens.csv")))
                .hasMessage("token file " + file + " line 1: expected token,user,uid[,\"group1,group2\"] but found 2 field(s)");
    }

    @Test
    void configNeedsFileAndRejectsUnknownKeys() {
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of(), TokenConfig.class))
                .hasMessageContaining("file is null");
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("file", " "), TokenConfig.class))
                .hasMessageContaining("file is blank");
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("file", "a.csv", "fiel", "b"), TokenConfig.class))
                .hasCauseInstanceOf(UnrecognizedPropertyException.class);
        assertThat(MAPPER.convertValue(Map.of("file", "a.csv"), TokenConfig.class)).isEqualTo(new TokenConfig("a.csv"));
    }

    @SuppressWarnings("unchecked")
    private Authenticator create(Map<String, Object> config) {
        AuthenticatorFactory<Object> factory = ServiceLoader.load(AuthenticatorFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(TokenAuthenticatorFactory.NAME))
                .findFirst()
                .orElseThrow();
        return factory.create(MAPPER.convertValue(config, factory.configType()), new Context(dataDir, Clock.systemUTC()));
    }

    private static AuthenticationRequest bearer(String token) {
        return request(Map.of("authorization", List.of("Bearer " + token)));
    }

    private static AuthenticationRequest request(Map<String, List<String>> headers) {
        return new AuthenticationRequest(headers, "127.0.0.1", List.of());
    }
}
