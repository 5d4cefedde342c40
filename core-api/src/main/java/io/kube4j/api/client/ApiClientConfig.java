package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how an {@link HttpApiClient} reaches the API server.
 *
 * @param servers         API server base URLs; tried in order, the next on a connection failure
 * @param bearerToken     the token to send, if any
 * @param caCertificatePem PEM of the CA that signed the server's certificate, if the server uses TLS
 * @param insecure        trust any server certificate (tests only)
 * @param requestTimeout  bound of a non-watch request
 */
public record ApiClientConfig(List<URI> servers, Optional<String> bearerToken, Optional<String> caCertificatePem,
                              boolean insecure, Duration requestTimeout) {
    public ApiClientConfig {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers is empty");
        }
        requireNonNull(bearerToken, "bearerToken is null");
        requireNonNull(caCertificatePem, "caCertificatePem is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
    }

    public static ApiClientConfig of(URI server) {
        return new ApiClientConfig(List.of(server), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(30));
    }

    public ApiClientConfig withToken(String token) {
        return new ApiClientConfig(servers, Optional.of(token), caCertificatePem, insecure, requestTimeout);
    }

    public ApiClientConfig withCaCertificate(String pem) {
        return new ApiClientConfig(servers, bearerToken, Optional.of(pem), insecure, requestTimeout);
    }

    public ApiClientConfig withInsecure(boolean value) {
        return new ApiClientConfig(servers, bearerToken, caCertificatePem, value, requestTimeout);
    }
}
