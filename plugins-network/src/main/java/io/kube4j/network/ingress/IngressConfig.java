package io.kube4j.network.ingress;

/**
 * Config of the {@code ingress} add-on.
 *
 * @param address      where it listens (default {@code 127.0.0.1}; {@code 0.0.0.0} for every address)
 * @param httpPort     the HTTP port (default 8080; 0 picks a free one)
 * @param httpsPort    the HTTPS port (default 8443; 0 picks a free one; -1: no HTTPS)
 * @param ingressClass the {@code spec.ingressClassName} it serves (default {@code kube4j}); Ingresses
 *                     without a class are served too, as by the cluster's default class
 */
public record IngressConfig(String address, Integer httpPort, Integer httpsPort, String ingressClass) {
    public IngressConfig {
        address = address == null || address.isBlank() ? "127.0.0.1" : address.strip();
        httpPort = httpPort == null ? 8080 : httpPort;
        httpsPort = httpsPort == null ? 8443 : httpsPort;
        ingressClass = ingressClass == null || ingressClass.isBlank() ? "kube4j" : ingressClass.strip();
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort must be in 0..65535: " + httpPort);
        }
        if (httpsPort < -1 || httpsPort > 65535) {
            throw new IllegalArgumentException("httpsPort must be -1 (no HTTPS) or in 0..65535: " + httpsPort);
        }
    }

    public static IngressConfig defaults() {
        return new IngressConfig(null, null, null, null);
    }
}
