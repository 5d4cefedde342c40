package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One immutable routing table made of every Ingress of the class: the answer to "which Service
 * port serves this host and path?". Built again whenever an Ingress changes; read by every request.
 *
 * <p>The rules are Kubernetes' (and ingress-nginx's, where Kubernetes leaves a choice): a request
 * is matched against the rules of its exact host, else of the wildcard host that covers it
 * ({@code *.example.com} covers one label only), else the rules without a host. Within them the
 * longest matching path wins, an {@code Exact} path before a {@code Prefix} of the same length; a
 * {@code Prefix} matches whole path elements ({@code /foo} matches {@code /foo/bar}, not
 * {@code /foobar}); {@code ImplementationSpecific} is treated as {@code Prefix}. With no match,
 * the oldest Ingress's {@code defaultBackend} serves, if there is one.
 */
final class IngressRoutes {

    /** A Service port that serves a route: port by number, or by name when {@code portNumber} is 0. */
    record Backend(String namespace, String service, int portNumber, String portName, String ingress) {
        Backend {
            requireNonNull(namespace, "namespace is null");
            requireNonNull(service, "service is null");
            requireNonNull(portName, "portName is null");
            requireNonNull(ingress, "ingress is null");
        }

        static Optional<Backend> of(String namespace, String ingress, IngressBackend backend) {
            if (backend == null || backend.getService() == null || backend.getService().getName() == null) {
                return Optional.empty();
            }
            ServiceBackendPort port = backend.getService().getPort();
            int number = port == null || port.getNumber() == null ? 0 : port.getNumber();
            String name = port == null || port.getName() == null ? "" : port.getName();
            return Optional.of(new Backend(namespace, backend.getService().getName(), number, name, ingress));
        }
    }

    private record Path(String path, boolean exact, Backend backend) {
        boolean matches(String requestPath) {
            if (exact) {
                return requestPath.equals(path);
            }
            if (path.equals("/")) {
                return true;
            }
            String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }

        int length() {
            return path.endsWith("/") && path.length() > 1 ? path.length() - 1 : path.length();
        }
    }

    private static final Comparator<Path> PRECEDENCE = Comparator.comparingInt(Path::length).reversed()
            .thenComparing(p -> !p.exact());

    private final Map<String, List<Path>> exactHosts;
    private final Map<String, List<Path>> wildcardHosts;
    private final List<Path> anyHost;
    private final Optional<Backend> defaultBackend;
    private final List<String> tlsHosts;

    private IngressRoutes(Map<String, List<Path>> exactHosts, Map<String, List<Path>> wildcardHosts, List<Path> anyHost,
                          Optional<Backend> defaultBackend, List<String> tlsHosts) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultBackend = defaultBackend;
        this.tlsHosts = tlsHosts;
    }

    static IngressRoutes empty() {
        return of(List.of());
    }

    /** The table of {@code ingresses}, all of which are of this controller's class. */
    static IngressRoutes of(List<Ingress> ingresses) {
        List<Ingress> ordered = new ArrayList<>(ingresses);
        // The oldest Ingress first, as ingress-nginx orders them, so that the earlier one's
        // default backend and duplicate paths win, whatever order the cache lists them in.
        ordered.sort(Comparator.comparing((Ingress i) -> String.valueOf(i.getMetadata().getCreationTimestamp()))
                .thenComparing(i -> i.getMetadata().getNamespace()).thenComparing(i -> i.getMetadata().getName()));
        Map<String, List<Path>> exact = new LinkedHashMap<>();
        Map<String, List<Path>> wildcard = new LinkedHashMap<>();
        List<Path> any = new ArrayList<>();
        Optional<Backend> fallback = Optional.empty();
        List<String> tls = new ArrayList<>();
        for (Ingress ingress : ordered) {
            String namespace = ingress.getMetadata().getNamespace();
            String name = ingress.getMetadata().getName();
            if (ingress.getSpec() == null) {
                continue;
            }
            if (fallback.isEmpty()) {
                fallback = Backend.of(namespace, name, ingress.getSpec().getDefaultBackend());
            }
            if (ingress.getSpec().getTls() != null) {
                ingress.getSpec().getTls().forEach(t -> {
                    if (t.getHosts() != null) {
                        t.getHosts().forEach(h -> tls.add(h.toLowerCase(Locale.ROOT)));
                    }
                });
            }
            if (ingress.getSpec().getRules() == null) {
                continue;
            }
            for (IngressRule rule : ingress.getSpec().getRules()) {
                String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
                List<Path> paths = host.isEmpty() ? any
                        : host.startsWith("*.") ? wildcard.computeIfAbsent(host.substring(1), h -> new ArrayList<>())
                        : exact.computeIfAbsent(host, h -> new ArrayList<>());
                if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    Optional<Backend> backend = Backend.of(namespace, name, path.getBackend());
                    String p = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
                    backend.ifPresent(b -> paths.add(new Path(p, "Exact".equals(path.getPathType()), b)));
                }
            }
        }
        exact.values().forEach(l -> l.sort(PRECEDENCE));
        wildcard.values().forEach(l -> l.sort(PRECEDENCE));
        any.sort(PRECEDENCE);
        return new IngressRoutes(exact, wildcard, any, fallback, List.copyOf(tls));
    }

    /**
     * The backend for a request: {@code host} as the client sent it (a port after it is ignored),
     * {@code path} without the query. Empty: no rule and no default backend (404).
     */
    Optional<Backend> route(String host, String path) {
        String h = hostOnly(host);
        List<Path> rules = exactHosts.get(h);
        if (rules == null) {
            int dot = h.indexOf('.');
            rules = dot > 0 ? wildcardHosts.get(h.substring(dot)) : null;
        }
        if (rules == null) {
            rules = anyHost;
        }
        for (Path rule : rules) {
            if (rule.matches(path.isEmpty() ? "/" : path)) {
                return Optional.of(rule.backend());
            }
        }
        return defaultBackend;
    }

    /** The hosts that some Ingress lists under {@code tls}. */
    List<String> tlsHosts() {
        return tlsHosts;
    }

    static String hostOnly(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
