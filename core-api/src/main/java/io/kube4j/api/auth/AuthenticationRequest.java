package io.kube4j.api.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an authenticator may look at.
 *
 * @param headers            request headers, names in lower case
 * @param remoteAddress      the client's address
 * @param clientCertificates the verified TLS client certificate chain, empty if none
 * @param path               the request's path ({@code /api/v1/pods}, {@code /healthz}), "" if not known
 */
public record AuthenticationRequest(Map<String, List<String>> headers, String remoteAddress,
                                    List<X509Certificate> clientCertificates, String path) {
    public AuthenticationRequest {
        headers = Map.copyOf(headers);
        clientCertificates = List.copyOf(clientCertificates);
        path = path == null ? "" : path;
    }

    /** A request whose path is not known. */
    public AuthenticationRequest(Map<String, List<String>> headers, String remoteAddress,
                                 List<X509Certificate> clientCertificates) {
        this(headers, remoteAddress, clientCertificates, "");
    }

    /** The first value of a header (name in any case), if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The bearer token of the {@code Authorization} header, if any. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }
}
