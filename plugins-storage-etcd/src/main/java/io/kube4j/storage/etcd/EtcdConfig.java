package io.kube4j.storage.etcd;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config of the {@code etcd} backend.
 *
 * @param endpoints      the etcd members' client URLs, e.g. {@code [http://127.0.0.1:2379]}; default that one
 * @param prefix         prepended to every key, so that clusters can share one etcd (kube-apiserver's
 *                       {@code --etcd-prefix}); default "" (keys as kube-apiserver lays them out:
 *                       {@code /registry/pods/<ns>/<name>})
 * @param compactEvery   how often history is compacted, as a Go duration (kube-apiserver's
 *                       {@code --etcd-compaction-interval}); every interval the store compacts to the
 *                       revision that was current one interval earlier; {@code "0"} disables; default {@code "5m"}
 * @param requestTimeout how long one request may take before the store reports etcd unavailable; default {@code "10s"}
 * @param caFile         PEM of the CA that signed the members' serving certificates (kube-apiserver's
 *                       {@code --etcd-cafile}); relative paths are under the data directory; needs {@code https} endpoints
 * @param certFile       PEM client certificate for etcd's client-cert-auth ({@code --etcd-certfile}); with {@code keyFile}
 * @param keyFile        its private key, PEM PKCS#8 ({@code --etcd-keyfile})
 */
public record EtcdConfig(List<String> endpoints, String prefix, String compactEvery, String requestTimeout,
                         String caFile, String certFile, String keyFile) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public EtcdConfig {
        endpoints = endpoints == null || endpoints.isEmpty() ? List.of("http://127.0.0.1:2379") : List.copyOf(endpoints);
        for (String e : endpoints) {
            if (!e.startsWith("http://") && !e.startsWith("https://")) {
                throw new IllegalArgumentException("an endpoint is a URL such as http://127.0.0.1:2379, not " + e);
            }
        }
        prefix = prefix == null ? "" : prefix;
        compactEvery = compactEvery == null ? "5m" : compactEvery;
        requestTimeout = requestTimeout == null ? "10s" : requestTimeout;
        duration("compactEvery", compactEvery);
        if (duration("requestTimeout", requestTimeout).isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("certFile and keyFile go together: give both or neither");
        }
        if ((caFile != null || certFile != null) && endpoints.stream().anyMatch(e -> e.startsWith("http://"))) {
            throw new IllegalArgumentException("caFile/certFile need https:// endpoints: " + endpoints);
        }
    }

    /** Without TLS files. */
    public EtcdConfig(List<String> endpoints, String prefix, String compactEvery, String requestTimeout) {
        this(endpoints, prefix, compactEvery, requestTimeout, null, null, null);
    }

    /** Whether the client speaks TLS to etcd. */
    public boolean tls() {
        return endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    }

    public Duration compactInterval() {
        return duration("compactEvery", compactEvery);
    }

    public Duration requestTimeoutDuration() {
        return duration("requestTimeout", requestTimeout);
    }

    /** A Go duration made of {@code ms}, {@code s}, {@code m} and {@code h} parts ({@code 1m30s}), or {@code 0}. */
    static Duration duration(String field, String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException(field + " is not a duration such as 30s, 5m or 1h: " + text);
        }
        return total;
    }
}
