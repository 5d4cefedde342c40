package io.kube4j.runtime.proxy;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.informer.ListWatchInformer;
import io.kube4j.runtime.metrics.MetricsRegistry;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.NodeProfile;
import io.kube4j.runtime.profile.ProxyProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy for one node: watches Services and EndpointSlices, and keeps its {@link ProxyMode}
 * in step with them. The mode is synced in full once the informers have synced and every
 * {@code syncPeriod}; in between, each change leads to a {@link ProxyMode#syncChanged} of the
 * service ports that changed, no sooner than {@code minSyncPeriod} after the previous sync, so
 * that a burst of changes costs one sync (kube-proxy's bounded-frequency runner). A failed sync is
 * retried with back-off, in full. Serves {@code /healthz} and {@code /metrics} on
 * {@code proxy.address}. Reaches the API server only through its {@link ApiClient}.
 */
public final class ProxyHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyHost.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private final ProxyProfile config;
    private final String nodeName;
    private final ApiClient client;
    private final ProxyMode mode;
    private final DefaultSharedInformerFactory informers;
    private final ListWatchInformer<Service> services;
    private final ListWatchInformer<EndpointSlice> slices;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final MetricsRegistry.Histogram syncDuration;
    private final MetricsRegistry.Counter syncs;
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final AtomicLong successfulSyncs = new AtomicLong();
    private volatile boolean lastSyncFailed;
    private volatile ProxyState applied = ProxyState.EMPTY;
    private boolean dirty;
    private boolean closed;
    private HttpServer server;
    private Thread loop;

    private ProxyHost(ProxyProfile config, NodeProfile node, PluginBinder binder, ApiClient client, PluginContext context,
                      String where) {
        this.config = requireNonNull(config, "config is null");
        this.nodeName = node.name();
        this.client = requireNonNull(client, "client is null");
        this.clock = context.clock();
        HostContext hostContext = new HostContext(node.name(), List.of(node.address()), client, context.dataDir(), clock);
        this.mode = create(binder.bind(Family.PROXY_MODE, config.mode(), where), hostContext);
        this.informers = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT);
        this.services = informers.informerFor(Service.class);
        this.slices = informers.informerFor(EndpointSlice.class);
        this.syncDuration = metrics.histogram("kubeproxy_sync_proxy_rules_duration_seconds",
                "How long one sync of the proxy mode took, full or partial.",
                MetricsRegistry.exponentialBuckets(0.001, 2, 15), "kind");
        this.syncs = metrics.counter("kubeproxy_sync_proxy_rules_total", "Syncs of the proxy mode, by kind and result.",
                "kind", "result");
        metrics.gauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds", "When the last successful sync ended.",
                sink -> sink.sample(lastSuccessMillis.get() / 1000.0));
        metrics.gauge("kubeproxy_service_ports", "Service ports the mode routes.",
                sink -> sink.sample(applied.services().size()));
        metrics.gauge("kubeproxy_endpoints", "Endpoints of those service ports, usable or not.",
                sink -> sink.sample(applied.endpoints().values().stream().mapToInt(List::size).sum()));
    }

    /** Checks the section's mode against the plugins there are: {@code kube4j profile check}. */
    public static void check(ProxyProfile config, PluginBinder binder) {
        binder.bind(Family.PROXY_MODE, config.mode(), "proxy");
    }

    /**
     * Creates the mode for {@code node} and starts the proxy: its HTTP port at once, its informers,
     * and the sync loop, whose first sync follows the informers' first lists. Owns {@code client}
     * and closes it. A mode that cannot start (no privileges, say) fails here.
     */
    public static ProxyHost start(ProxyProfile config, NodeProfile node, PluginBinder binder, ApiClient client,
                                  PluginContext context) {
        ProxyHost host;
        try {
            host = new ProxyHost(config, node, binder, client, context, "proxy");
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        try {
            host.begin();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    @SuppressWarnings("unchecked")
    private static <C> ProxyMode create(PluginBinder.Bound<C> bound, ProxyContext context) {
        return ((ProxyModeFactory<C>) bound.factory()).create(bound.config(), context);
    }

    private void begin() {
        ResourceEventHandler<HasMetadata> changed = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                signal();
            }

            @Override
            public void onUpdate(HasMetadata oldObject, HasMetadata newObject) {
                if (!oldObject.getMetadata().getResourceVersion().equals(newObject.getMetadata().getResourceVersion())) {
                    signal();
                }
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                signal();
            }
        };
        services.addEventHandler(adapt(changed));
        slices.addEventHandler(adapt(changed));
        server = serve();
        informers.start();
        loop = Thread.ofVirtual().name("kube-proxy-" + nodeName).start(this::run);
        log.info("kube-proxy of node {} is up in mode {}; /healthz and /metrics at http://{}:{}", nodeName,
                config.mode().plugin(), config.host(), port());
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> adapt(ResourceEventHandler<HasMetadata> handler) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                handler.onAdd(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                handler.onUpdate(oldObject, newObject);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                handler.onDelete(object, finalStateUnknown);
            }
        };
    }

    private void signal() {
        lock.lock();
        try {
            dirty = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (!informers.waitForCacheSync(Duration.ofSeconds(1))) {
                if (isClosed()) {
                    return;
                }
            }
            Duration minSync = config.minSync();
            Duration syncPeriod = config.sync();
            boolean full = true;
            long nextFull = System.nanoTime();
            long notBefore = System.nanoTime();
            Duration retry = FIRST_RETRY;
            while (true) {
                lock.lock();
                try {
                    // Wait for a change or the full resync, then for minSyncPeriod since the last sync.
                    while (!closed && !(dirty || full) && System.nanoTime() < nextFull) {
                        wake.awaitNanos(nextFull - System.nanoTime());
                    }
                    while (!closed && System.nanoTime() < notBefore) {
                        wake.awaitNanos(notBefore - System.nanoTime());
                    }
                    if (closed) {
                        return;
                    }
                    dirty = false;
                } finally {
                    lock.unlock();
                }
                long now = System.nanoTime();
                full |= now >= nextFull;
                notBefore = now + minSync.toNanos();
                if (sync(full)) {
                    full = false;
                    nextFull = System.nanoTime() + syncPeriod.toNanos();
                    retry = FIRST_RETRY;
                } else {
                    full = true;
                    notBefore = System.nanoTime() + Math.max(retry.toNanos(), minSync.toNanos());
                    retry = retry.multipliedBy(2).compareTo(syncPeriod) > 0 ? syncPeriod : retry.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One sync of the mode to the informers' state; false if the mode failed. */
    private boolean sync(boolean full) {
        ProxyState state = ProxyStates.of(services.lister().list(), slices.lister().list());
        String kind = full ? "full" : "partial";
        long began = System.nanoTime();
        try {
            if (full) {
                mode.sync(state);
            } else {
                Set<ServicePortName> changed = ProxyStates.changed(applied, state);
                if (changed.isEmpty()) {
                    return true;
                }
                mode.syncChanged(state, changed);
            }
        } catch (RuntimeException e) {
            syncs.inc(kind, "error");
            lastSyncFailed = true;
            log.warn("kube-proxy of node {}: {} sync of {} service ports failed, retrying: {}", nodeName, kind,
                    state.services().size(), e.toString());
            return false;
        }
        syncDuration.observe((System.nanoTime() - began) / 1e9, kind);
        syncs.inc(kind, "success");
        applied = state;
        lastSyncFailed = false;
        lastSuccessMillis.set(clock.millis());
        successfulSyncs.incrementAndGet();
        log.debug("kube-proxy of node {}: {} sync of {} service ports in {} ms", nodeName, kind, state.services().size(),
                (System.nanoTime() - began) / 1_000_000);
        return true;
    }

    private HttpServer serve() {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("kube-proxy of node " + nodeName + ": cannot listen on " + config.address()
                    + ": " + e.getMessage(), e);
        }
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/healthz", exchange -> {
            Optional<String> problem = health();
            respond(exchange, problem.isEmpty() ? 200 : 503, "text/plain; charset=utf-8", problem.orElse("ok"));
        });
        http.createContext("/metrics", exchange -> respond(exchange, 200, MetricsRegistry.CONTENT_TYPE, metrics.scrape()));
        http.start();
        return http;
    }

    /** Why the proxy is not healthy: no sync yet, the last one failed, or none succeeded for two sync periods. */
    Optional<String> health() {
        if (successfulSyncs.get() == 0) {
            return Optional.of("not synced yet");
        }
        if (lastSyncFailed) {
            return Optional.of("the last sync failed");
        }
        long age = clock.millis() - lastSuccessMillis.get();
        if (age > 2 * config.sync().toMillis() + config.minSync().toMillis()) {
            return Optional.of("no successful sync for " + age + " ms");
        }
        return Optional.empty();
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** The node this proxy serves. */
    public String nodeName() {
        return nodeName;
    }

    /** The port of {@code /healthz} and {@code /metrics}. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many syncs of the mode have succeeded (tests await the first). */
    public long successfulSyncs() {
        return successfulSyncs.get();
    }

    /** The state the mode was last synced to. */
    public ProxyState appliedState() {
        return applied;
    }

    /** Stops the sync loop, the informers and the HTTP port, then closes the mode and the client. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        informers.close();
        if (server != null) {
            server.stop(0);
        }
        try {
            mode.close();
        } catch (RuntimeException e) {
            log.warn("kube-proxy of node {}: closing mode {} failed: {}", nodeName, config.mode().plugin(), e.toString());
        }
        client.close();
    }

    /** What the mode is given. */
    private record HostContext(String nodeName, List<String> nodeIps, ApiClient client, Path dataDir, Clock clock)
            implements ProxyContext {
    }
}
