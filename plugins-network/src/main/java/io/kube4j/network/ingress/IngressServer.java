package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.kube4j.api.controller.Lister;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.ssl.X509;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * The ingress controller's data plane: Jetty listening for HTTP and HTTPS, a handler that routes
 * each request by the current {@link IngressRoutes}, and Jetty's reverse proxy that forwards it,
 * with its {@code Host} header, to a ready endpoint of the chosen Service. {@link #refresh} builds
 * the routes and the certificates anew from the caches; requests in flight keep the table they began with.
 */
final class IngressServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);
    private static final String TARGET = IngressServer.class.getName() + ".target";
    /** The annotation that named an Ingress's class before {@code spec.ingressClassName}. */
    static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final IngressConfig config;
    private final Lister<Ingress> ingresses;
    private final Lister<Secret> secrets;
    private final ServiceUpstreams upstreams;
    private final KeyStore.PrivateKeyEntry fallback;
    private final Server server;
    private final ServerConnector http;
    private final Optional<ServerConnector> https;
    private final Optional<SslContextFactory.Server> tls;
    private volatile IngressRoutes routes = IngressRoutes.empty();
    private volatile Map<String, Secret> loadedSecrets = Map.of();
    /** The names each loaded Secret's certificate covers, of every key type. */
    private volatile List<X509> tenantCertificates = List.of();

    IngressServer(IngressConfig config, Lister<Ingress> ingresses, ServiceUpstreams upstreams, Lister<Secret> secrets,
                  Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.ingresses = requireNonNull(ingresses, "ingresses is null");
        this.upstreams = requireNonNull(upstreams, "upstreams is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.fallback = TlsCertificates.selfSigned(clock.instant());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("ingress");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);
        this.http = new ServerConnector(server);
        http.setHost(config.address());
        http.setPort(config.httpPort());
        server.addConnector(http);
        if (config.httpsPort() >= 0) {
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(TlsCertificates.keyStore(fallback, Map.of(), new ArrayList<>()));
            factory.setKeyStorePassword("");
            factory.setSNISelector(this::selectCertificate);
            ServerConnector connector = new ServerConnector(server, factory);
            connector.setHost(config.address());
            connector.setPort(config.httpsPort());
            server.addConnector(connector);
            this.tls = Optional.of(factory);
            this.https = Optional.of(connector);
        } else {
            this.tls = Optional.empty();
            this.https = Optional.empty();
        }
        ProxyHandler.Reverse proxy = new ProxyHandler.Reverse(request -> (HttpURI) request.getAttribute(TARGET)) {
            @Override
            protected void copyRequestHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
                super.copyRequestHeaders(clientToProxy, proxyToServer);
                // The backend sees the host the client asked for, as behind ingress-nginx.
                HttpField host = clientToProxy.getHeaders().getField(HttpHeader.HOST);
                if (host != null) {
                    proxyToServer.headers(headers -> headers.put(HttpHeader.HOST, host.getValue()));
                }
            }
        };
        server.setHandler(new Routing(proxy));
    }

    /**
     * The certificate whose names cover the SNI host, else the fallback (never a tenant's certificate
     * for another host). JSSE asks once per key type with that type's certificates: when a tenant
     * certificate of another type covers the host, this type answers none, so that JSSE goes on to it.
     */
    private String selectCertificate(String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLSession session,
                                     String sniHost, java.util.Collection<X509> certificates) {
        if (sniHost != null) {
            for (X509 certificate : certificates) {
                if (!certificate.getAlias().equals(TlsCertificates.FALLBACK_ALIAS) && certificate.matches(sniHost)) {
                    return certificate.getAlias();
                }
            }
            if (tenantCertificates.stream().anyMatch(c -> c.matches(sniHost))) {
                return null;
            }
        }
        boolean hasFallback = certificates.stream().anyMatch(c -> c.getAlias().equals(TlsCertificates.FALLBACK_ALIAS));
        return hasFallback ? TlsCertificates.FALLBACK_ALIAS : null;
    }

    void start() throws Exception {
        server.start();
        LOG.info("ingress controller of class {} listening on http://{}:{}{}", config.ingressClass(), config.address(),
                http.getLocalPort(), https.map(c -> " and https://" + config.address() + ":" + c.getLocalPort()).orElse(""));
    }

    int httpPort() {
        return http.getLocalPort();
    }

    Optional<Integer> httpsPort() {
        return https.map(ServerConnector::getLocalPort);
    }

    /** Whether this controller serves {@code ingress}: its class, or no class at all. */
    boolean serves(Ingress ingress) {
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (className == null && ingress.getMetadata().getAnnotations() != null) {
            className = ingress.getMetadata().getAnnotations().get(CLASS_ANNOTATION);
        }
        return className == null || className.isEmpty() || className.equals(config.ingressClass());
    }

    /** Builds the routes and the certificates again from the caches. Not called concurrently. */
    void refresh() {
        List<Ingress> ours = ingresses.list().stream().filter(this::serves).toList();
        routes = IngressRoutes.of(ours);
        if (tls.isEmpty()) {
            return;
        }
        Map<String, Secret> wanted = new LinkedHashMap<>();
        for (Ingress ingress : ours) {
            if (ingress.getSpec() == null || ingress.getSpec().getTls() == null) {
                continue;
            }
            String namespace = ingress.getMetadata().getNamespace();
            ingress.getSpec().getTls().stream().filter(t -> t.getSecretName() != null).forEach(t ->
                    secrets.get(namespace, t.getSecretName()).ifPresent(s -> wanted.put(namespace + "/" + t.getSecretName(), s)));
        }
        if (sameVersions(wanted, loadedSecrets)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        KeyStore store = TlsCertificates.keyStore(fallback, wanted, problems);
        problems.forEach(p -> LOG.warn("ingress TLS: {}", p));
        try {
            tls.get().reload(factory -> factory.setKeyStore(store));
            loadedSecrets = wanted;
            tenantCertificates = tenants(store);
        } catch (Exception e) {
            LOG.warn("ingress TLS: cannot load the certificates of {}: {}", wanted.keySet(), e.toString());
        }
    }

    private static List<X509> tenants(KeyStore store) throws java.security.KeyStoreException {
        List<X509> certificates = new ArrayList<>();
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (!alias.equals(TlsCertificates.FALLBACK_ALIAS)
                    && store.getCertificate(alias) instanceof java.security.cert.X509Certificate certificate) {
                certificates.add(new X509(alias, certificate));
            }
        }
        return List.copyOf(certificates);
    }

    private static boolean sameVersions(Map<String, Secret> a, Map<String, Secret> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().getMetadata().getResourceVersion()
                .equals(b.get(e.getKey()).getMetadata().getResourceVersion()));
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("ingress controller did not stop cleanly: {}", e.toString());
        }
    }

    /** Chooses the backend of each request, answers 404 and 503 itself, and hands the rest to the proxy. */
    private final class Routing extends Handler.Wrapper {
        Routing(Handler proxy) {
            super(proxy);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            HttpURI uri = request.getHttpURI();
            String host = Optional.ofNullable(request.getHeaders().get(HttpHeader.HOST)).orElse(uri.getHost());
            String path = Optional.ofNullable(uri.getPath()).orElse("/");
            Optional<IngressRoutes.Backend> backend = routes.route(host, path);
            if (backend.isEmpty()) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404,
                        "no Ingress rule for host " + IngressRoutes.hostOnly(host) + " and path " + path);
                return true;
            }
            ServiceUpstreams.Pick pick = upstreams.pick(backend.get());
            if (pick instanceof ServiceUpstreams.Pick.None none) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, none.reason());
                return true;
            }
            InetSocketAddress target = ((ServiceUpstreams.Pick.To) pick).address();
            request.setAttribute(TARGET, HttpURI.build(uri).scheme("http").host(target.getHostString()).port(target.getPort()));
            return super.handle(request, response, callback);
        }
    }
}
