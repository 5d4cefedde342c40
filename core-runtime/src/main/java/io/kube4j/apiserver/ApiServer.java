package io.kube4j.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.client.ApiTransport;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.storage.Store;
import io.kube4j.apiserver.allocation.AllocationRepair;
import io.kube4j.apiserver.allocation.ClusterIpAllocator;
import io.kube4j.apiserver.allocation.NodePortAllocator;
import io.kube4j.apiserver.bootstrap.Bootstrap;
import io.kube4j.apiserver.cache.CacheClusterView;
import io.kube4j.apiserver.cache.CachedObject;
import io.kube4j.apiserver.cache.WatchCache;
import io.kube4j.apiserver.discovery.Discovery;
import io.kube4j.apiserver.http.ApiHandler;
import io.kube4j.apiserver.http.LocalTransport;
import io.kube4j.apiserver.openapi.OpenApiDocuments;
import io.kube4j.apiserver.rest.AdmissionChain;
import io.kube4j.apiserver.rest.ObjectService;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server: the watch cache over a {@link Store}, the REST layer, and Jetty serving the
 * Kubernetes API over HTTPS (or HTTP) with WebSocket watches.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** How the server listens and limits itself. */
    public record Settings(String host, int port, Optional<KeyStore> keyStore, char[] keyStorePassword,
                           String advertiseHost, int maxReadOnlyInFlight, int maxMutatingInFlight,
                           String serviceClusterIpRange, int watchCacheSize, Duration bookmarkInterval) {
    }

    private final Settings settings;
    private final Store store;
    private final ResourceRegistry registry;
    private final List<Authenticator> authenticators;
    private final List<Authorizer> authorizers;
    private final Function<ClusterView, List<AdmissionPlugin>> admission;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    /** How often leaked Service addresses are looked for: kube-apiserver's repair interval. */
    private static final Duration REPAIR_INTERVAL = Duration.ofMinutes(3);
    private WatchCache cache;
    private AllocationRepair repair;
    private Server jetty;
    private ApiHandler handler;
    private volatile boolean bootstrapped;
    private int boundPort;

    public ApiServer(Settings settings, Store store, ResourceRegistry registry, List<Authenticator> authenticators,
                     List<Authorizer> authorizers, Function<ClusterView, List<AdmissionPlugin>> admission, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.authenticators = List.copyOf(authenticators);
        this.authorizers = List.copyOf(authorizers);
        this.admission = requireNonNull(admission, "admission is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Loads the cache, bootstraps system objects and starts listening; returns when ready. */
    public void start() throws Exception {
        cache = new WatchCache(store, registry, mapper, settings.watchCacheSize(), settings.bookmarkInterval(), 10_000);
        cache.start();
        ClusterIpAllocator ips = new ClusterIpAllocator(settings.serviceClusterIpRange(), Optional.of(store));
        NodePortAllocator nodePorts = new NodePortAllocator(NodePortAllocator.DEFAULT_FIRST,
                NodePortAllocator.DEFAULT_LAST, Optional.of(store));
        ResourceType services = registry.byResource("", "v1", "services").orElseThrow();
        for (CachedObject svc : cache.all(services)) {
            String ip = svc.object().path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None") && ips.contains(ip)) {
                // also records the address in the store for data written before addresses were kept there
                ips.reserve(ip, svc.namespace() + "/" + svc.name());
            }
            for (int port : NodePortAllocator.nodePorts(svc.object())) {
                if (nodePorts.contains(port)) {
                    nodePorts.reserve(port, svc.namespace() + "/" + svc.name());
                }
            }
        }
        repair = new AllocationRepair(store, ips, nodePorts,
                () -> cache.all(services).stream().map(o -> (JsonNode) o.object()).toList());
        repair.start(REPAIR_INTERVAL);
        List<AdmissionPlugin> plugins = admission.apply(new CacheClusterView(cache, registry));
        ObjectService objects = new ObjectService(store, cache, registry, mapper, new AdmissionChain(plugins), ips,
                nodePorts, clock);

        QueuedThreadPool threads = new QueuedThreadPool(64, 4, 60_000);
        threads.setName("apiserver-jetty");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        ServerConnector connector;
        if (settings.keyStore().isPresent()) {
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(settings.keyStore().get());
            ssl.setKeyStorePassword(new String(settings.keyStorePassword()));
            ssl.setSniRequired(false);
            connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        jetty.addConnector(connector);
        String advertise = settings.advertiseHost();
        OpenApiDocuments openApi = new OpenApiDocuments(registry);
        // Both take a second or so on first use; build them while the server already answers.
        Thread.ofVirtual().name("apiserver-warm-up").start(() -> {
            openApi.warmUp();
            io.kube4j.apiserver.protobuf.ProtobufCodec.supports("v1", "Pod");
        });
        handler = new ApiHandler(new ApiHandler.Parts(objects, new Discovery(registry, advertise + ":" + settings.port()),
                openApi, mapper, authenticators, authorizers, settings.maxReadOnlyInFlight(),
                settings.maxMutatingInFlight(), this::healthChecks, this::componentStatuses, clock));
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(16 * 1024 * 1024);
            container.setMaxBinaryMessageSize(16 * 1024 * 1024);
            container.setIdleTimeout(Duration.ofHours(2));
        });
        ws.setHandler(handler);
        jetty.setHandler(ws);
        jetty.setStopTimeout(5_000);
        jetty.start();
        boundPort = connector.getLocalPort();
        Bootstrap.run(objects, ips.kubernetesServiceIp(), advertise, boundPort);
        bootstrapped = true;
        log.info("API server listening on {}", url());
    }

    /** The URL clients use, e.g. https://127.0.0.1:6443. */
    public URI url() {
        String scheme = settings.keyStore().isPresent() ? "https" : "http";
        return URI.create(scheme + "://" + settings.advertiseHost() + ":" + boundPort);
    }

    public int port() {
        return boundPort;
    }

    /**
     * A transport into this server for components in its JVM: each request is authenticated with
     * {@code bearerToken}, checked and answered as one over HTTPS, without the network.
     */
    public ApiTransport localTransport(Optional<String> bearerToken) {
        if (handler == null) {
            throw new IllegalStateException("the API server is not started");
        }
        return new LocalTransport(handler, bearerToken);
    }

    private Map<String, Boolean> healthChecks() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("ping", true);
        checks.put("log", true);
        checks.put("etcd", storeHealthy());
        checks.put("poststarthook/bootstrap-controller", bootstrapped);
        return checks;
    }

    private boolean storeHealthy() {
        try {
            store.currentRevision();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private List<ObjectNode> componentStatuses() {
        List<ObjectNode> out = new ArrayList<>();
        ResourceType leases = registry.byResource("coordination.k8s.io", "v1", "leases").orElseThrow();
        for (String component : List.of("controller-manager", "scheduler")) {
            Optional<CachedObject> lease = cache.get(leases, "kube-system", "kube-" + component);
            boolean healthy = lease.map(l -> {
                String renew = l.object().path("spec").path("renewTime").asText("");
                long duration = l.object().path("spec").path("leaseDurationSeconds").asLong(15);
                return !renew.isEmpty() && Instant.parse(renew.replaceAll("\\.[0-9]+Z$", "Z"))
                        .plusSeconds(duration).isAfter(clock.instant());
            }).orElse(false);
            out.add(componentStatus(component, healthy, healthy ? "ok"
                    : "no " + component + " holds a current lease kube-system/kube-" + component));
        }
        out.add(componentStatus("etcd-0", storeHealthy(), storeHealthy() ? "ok" : "store is not reachable"));
        return out;
    }

    private static boolean isIdleTimeoutRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NullPointerException) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    if (frame.getClassName().endsWith("HttpChannelState") && frame.getMethodName().equals("onIdleTimeout")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ObjectNode componentStatus(String name, boolean healthy, String message) {
        ObjectNode cs = JsonNodeFactory.instance.objectNode().put("kind", "ComponentStatus").put("apiVersion", "v1");
        cs.putObject("metadata").put("name", name);
        ObjectNode c = cs.putArray("conditions").addObject().put("type", "Healthy")
                .put("status", healthy ? "True" : "False");
        if (healthy) {
            c.put("message", message);
        } else {
            c.put("error", message);
        }
        return cs;
    }

    @Override
    public void close() {
        if (handler != null) {
            handler.shutdown();
        }
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                if (isIdleTimeoutRace(e)) {
                    // Jetty 12.0.25 fails the graceful idle timeout of a kept-alive connection that has no request
                    // (HttpChannelState.onIdleTimeout without a response): nothing was in flight on it. Stop again.
                    log.info("Jetty tripped over an idle connection while stopping; stopping again");
                    log.debug("Jetty's failure", e);
                    try {
                        jetty.stop();
                    } catch (Exception again) {
                        log.warn("stopping Jetty failed", again);
                    }
                } else {
                    log.warn("stopping Jetty failed", e);
                }
            }
        }
        if (repair != null) {
            repair.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
