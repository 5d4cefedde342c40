package io.kube4j.runtime.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.NodeProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProxyProfile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sync loop of the proxy host, with a fake API server and a mode that records its calls. */
class TestProxyHost {
    private final FakeClient client = new FakeClient();
    private final RecordingMode mode = new RecordingMode();
    private ProxyHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void syncsInFullOnceTheInformersHaveListedThenOnlyTheChangedPorts() throws Exception {
        client.services.put("ns/a", service("a", "10.96.0.10"));
        start("50ms", "1h");

        Call first = mode.next();
        assertThat(first.kind()).isEqualTo("sync");
        assertThat(first.state().services()).containsOnlyKeys(port("a"));

        client.event(WatchEvent.Type.ADDED, service("b", "10.96.0.11"));
        Call second = mode.next();
        assertThat(second.kind()).isEqualTo("syncChanged");
        assertThat(second.changed()).containsExactly(port("b"));
        assertThat(second.state().services()).containsOnlyKeys(port("a"), port("b"));
        await(() -> host.appliedState().equals(second.state()));
        assertThat(host.health()).isEmpty();
    }

    @Test
    void coalescesABurstOfChangesWithinMinSyncPeriod() throws Exception {
        start("1s", "1h");
        assertThat(mode.next().kind()).isEqualTo("sync");

        for (int i = 0; i < 10; i++) {
            client.event(WatchEvent.Type.ADDED, service("s" + i, "10.96.1." + i));
        }
        Call call = mode.next();
        // The first sync was less than minSyncPeriod ago: the whole burst waits for one sync.
        assertThat(call.kind()).isEqualTo("syncChanged");
        assertThat(call.changed()).hasSize(10);
        assertThat(mode.calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void retriesAFailedSyncInFullWithBackOff() throws Exception {
        mode.failures.set(2);
        start("10ms", "1h");
        assertThat(host.health()).isPresent();

        Call failed1 = mode.next();
        Call failed2 = mode.next();
        Call ok = mode.next();
        assertThat(List.of(failed1.kind(), failed2.kind(), ok.kind())).containsOnly("sync");
        assertThat(failed1.failed()).isTrue();
        assertThat(failed2.failed()).isTrue();
        assertThat(ok.failed()).isFalse();
        assertThat(failed2.nanos() - failed1.nanos()).isGreaterThanOrEqualTo(ProxyHost.FIRST_RETRY.toNanos());
        assertThat(ok.nanos() - failed2.nanos()).isGreaterThanOrEqualTo(2 * ProxyHost.FIRST_RETRY.toNanos());
        await(() -> host.successfulSyncs() == 1);
        assertThat(host.health()).isEmpty();
    }

    @Test
    void resyncsInFullEverySyncPeriod() throws Exception {
        start("10ms", "200ms");

        for (int i = 0; i < 3; i++) {
            assertThat(mode.next().kind()).isEqualTo("sync");
        }
    }

    @Test
    void closeClosesTheModeAndTheClient() throws Exception {
        start("10ms", "1h");
        mode.next();

        host.close();

        assertThat(mode.closed).isTrue();
        assertThat(client.closed).isTrue();
    }

    private void start(String minSync, String sync) {
        PluginRegistry registry = PluginRegistry.of(Map.of(Family.PROXY_MODE, List.<PluginFactory<?>>of(new RecordingFactory(mode))));
        host = ProxyHost.start(new ProxyProfile(PluginSlot.of("recording"), minSync, sync, "127.0.0.1:0"),
                NodeProfile.of("node-1"), new PluginBinder(registry, "test.yaml"), client, new Context());
    }

    /** The host records a sync after the mode's call returns: poll for what it records. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static ServicePortName port(String service) {
        return new ServicePortName("ns", service, "", io.kube4j.api.proxy.Protocol.TCP);
    }

    private static int version = 1;

    private static Service service(String name, String clusterIP) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withResourceVersion(Integer.toString(version++)).endMetadata()
                .withNewSpec().withClusterIP(clusterIP).addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec()
                .build();
    }

    private record Call(String kind, ProxyState state, Set<ServicePortName> changed, boolean failed, long nanos) {
    }

    private static final class RecordingMode implements ProxyMode {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean closed;

        Call next() throws InterruptedException {
            Call call = calls.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a call of the mode within 10 s").isNotNull();
            return call;
        }

        @Override
        public void sync(ProxyState state) {
            record("sync", state, Set.of());
        }

        @Override
        public void syncChanged(ProxyState state, Set<ServicePortName> changed) {
            record("syncChanged", state, changed);
        }

        private void record(String kind, ProxyState state, Set<ServicePortName> changed) {
            boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            calls.add(new Call(kind, state, changed, fail, System.nanoTime()));
            if (fail) {
                throw new IllegalStateException("failing as told");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private record RecordingFactory(RecordingMode mode) implements ProxyModeFactory<io.kube4j.api.plugin.NoConfig> {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Class<io.kube4j.api.plugin.NoConfig> configType() {
            return io.kube4j.api.plugin.NoConfig.class;
        }

        @Override
        public ProxyMode create(io.kube4j.api.plugin.NoConfig config, ProxyContext context) {
            assertThat(context.nodeName()).isEqualTo("node-1");
            assertThat(context.nodeIps()).containsExactly("127.0.0.1");
            return mode;
        }
    }

    private static final class Context implements PluginContext {
        @Override
        public Path dataDir() {
            return Path.of(".");
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }
    }

    /** Lists what the test put, and hands each watch's events from {@link #event}. */
    private static final class FakeClient implements ApiClient {
        final Map<String, Service> services = new ConcurrentHashMap<>();
        final Map<Class<?>, WatchListener<?>> watchers = new ConcurrentHashMap<>();
        volatile boolean closed;

        @SuppressWarnings("unchecked")
        void event(WatchEvent.Type type, Service service) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!watchers.containsKey(Service.class) && System.nanoTime() < deadline) {
                Thread.sleep(5); // the informer's watch starts after its list; nothing to await on
            }
            ((WatchListener<Service>) watchers.get(Service.class)).onEvent(new WatchEvent<>(type, service));
        }

        @Override
        public ResourceRegistry registry() {
            return ResourceRegistry.builtIn();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options) {
            List<T> items = type == Service.class ? (List<T>) List.copyOf(services.values()) : List.of();
            return new ObjectList<>(items, "1", "");
        }

        @Override
        public <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener) {
            watchers.put(type, listener);
            return () -> {
            };
        }

        @Override
        public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T create(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T update(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T updateStatus(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType,
                                               String patch, String subresource) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
            return JsonNodeFactory.instance.nullNode();
        }

        @Override
        public JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                          String subresource, Object body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                          String subresource, Object body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
