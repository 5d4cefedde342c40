package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.TerminalException;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventType;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.controller.ControllerRunner;
import io.kube4j.runtime.controller.DefaultControllerContext;
import io.kube4j.runtime.event.ApiEventRecorder;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.InformerOptions;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A toy controller hosted by the ControllerRunner, and the EventRecorder, against a real API server. */
class TestControllerRunner {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "toy";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.start("memory.yaml", Files.createTempDirectory("kube4j-controller"));
        client = Clients.admin(cluster);
        client.create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * For each ConfigMap labelled {@code toy=source}, keeps a ConfigMap {@code <name>-upper} owned by
     * it whose data are the source's in upper case. A value "bad" is terminal; a value "flaky" fails
     * the first reconcile.
     */
    private static final class UpperCaseController implements Controller {
        private final ApiClient client;
        private final Lister<ConfigMap> configMaps;
        private final io.kube4j.api.event.EventRecorder events;
        final Map<Request, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<Request, Integer> concurrent = new ConcurrentHashMap<>();

        UpperCaseController(DefaultControllerContext context) {
            this.client = context.client();
            this.configMaps = context.lister(ConfigMap.class);
            this.events = context.eventRecorder();
        }

        @Override
        public String name() {
            return "uppercase";
        }

        @Override
        public List<WatchSource<?>> watches() {
            return List.of(WatchSource.forType(ConfigMap.class), WatchSource.owns(ConfigMap.class));
        }

        @Override
        public Result reconcile(Request request) {
            int n = calls.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
            if (concurrent.merge(request, 1, Integer::sum) > 1) {
                throw new AssertionError("two workers on " + request);
            }
            try {
                return reconcileOnce(request, n);
            } finally {
                concurrent.merge(request, -1, Integer::sum);
            }
        }

        private Result reconcileOnce(Request request, int call) {
            String derivedName = request.name() + "-upper";
            Optional<ConfigMap> source = configMaps.get(request);
            if (source.isEmpty()) {
                if (!request.name().endsWith("-upper")) {
                    client.delete(ConfigMap.class, request.namespace(), derivedName, DeleteOptions.DEFAULT);
                }
                return Result.done();
            }
            ConfigMap cm = source.get();
            if (cm.getMetadata().getLabels() == null || !"source".equals(cm.getMetadata().getLabels().get("toy"))) {
                return Result.done();
            }
            String value = cm.getData().getOrDefault("v", "");
            if (value.equals("bad")) {
                throw new TerminalException("value bad cannot be upper-cased");
            }
            if (value.equals("flaky") && call == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            String upper = value.toUpperCase(Locale.ROOT);
            Optional<ConfigMap> derived = configMaps.get(request.namespace(), derivedName);
            if (derived.isEmpty()) {
                client.create(new ConfigMapBuilder().withNewMetadata().withNamespace(request.namespace())
                        .withName(derivedName).addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap")
                        .withName(cm.getMetadata().getName()).withUid(cm.getMetadata().getUid()).withController(true)
                        .endOwnerReference().endMetadata().addToData("v", upper).build());
                events.event(cm, EventType.NORMAL, "Derived", "created %s", derivedName);
            } else if (!upper.equals(derived.get().getData().get("v"))) {
                client.update(new ConfigMapBuilder(derived.get()).addToData("v", upper).build());
            }
            return Result.done();
        }
    }

    private static ConfigMap source(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(name).addToLabels("toy", "source")
                .endMetadata().addToData("v", value).build();
    }

    private static Optional<String> derivedValue(String name) {
        return client.get(ConfigMap.class, NS, name + "-upper").map(c -> c.getData().get("v"));
    }

    private static List<Event> events(String involvedName, String reason) {
        return client.list(Event.class, ListOptions.inNamespace(NS)).items().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(involvedName) && e.getReason().equals(reason))
                .toList();
    }

    @Test
    void reconcilesConfigMapsIntoDerivedObjects() throws Exception {
        client.create(source("existing", "before start"));
        try (DefaultSharedInformerFactory informers = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT);
             ApiEventRecorder recorder = new ApiEventRecorder(client, "uppercase-controller", "", Clock.systemUTC())) {
            DefaultControllerContext context = new DefaultControllerContext(Files.createTempDirectory("toy"),
                    Clock.systemUTC(), client, informers, recorder, 2);
            UpperCaseController controller = new UpperCaseController(context);
            try (ControllerRunner runner = new ControllerRunner(controller, context)) {
                runner.start();
                assertThat(runner.isRunning()).as("workers wait for the caches").isFalse();
                informers.start();
                Clients.await("workers running", WAIT, runner::isRunning);
                Clients.await("existing derived", WAIT, () -> derivedValue("existing").equals(Optional.of("BEFORE START")));

                client.create(source("a", "hello"));
                Clients.await("a derived", WAIT, () -> derivedValue("a").equals(Optional.of("HELLO")));
                ConfigMap a = client.get(ConfigMap.class, NS, "a").orElseThrow();
                client.update(new ConfigMapBuilder(a).addToData("v", "changed").build());
                Clients.await("a updated", WAIT, () -> derivedValue("a").equals(Optional.of("CHANGED")));

                client.delete(ConfigMap.class, NS, "a-upper", DeleteOptions.DEFAULT);
                Clients.await("a-upper recreated through Owns", WAIT,
                        () -> derivedValue("a").equals(Optional.of("CHANGED")));

                client.create(source("flaky", "flaky"));
                Clients.await("flaky derived after a retry", WAIT, () -> derivedValue("flaky").equals(Optional.of("FLAKY")));
                assertThat(controller.calls.get(new Request(NS, "flaky")).get()).isGreaterThanOrEqualTo(2);
                assertThat(runner.queue().numRequeues(new Request(NS, "flaky"))).as("forgotten after success").isZero();

                client.create(source("bad", "bad"));
                Clients.await("a warning about bad", WAIT, () -> !events("bad", "ReconcileError").isEmpty());
                assertThat(events("bad", "ReconcileError").getFirst().getType()).isEqualTo("Warning");
                assertThat(controller.calls.get(new Request(NS, "bad")).get()).as("terminal: not retried").isEqualTo(1);
                assertThat(derivedValue("bad")).isEmpty();

                client.delete(ConfigMap.class, NS, "existing", DeleteOptions.DEFAULT);
                Clients.await("existing-upper cleaned up", WAIT, () -> derivedValue("existing").isEmpty());
                assertThat(events("a", "Derived")).hasSize(1);
            }
        }
    }

    @Test
    void repeatedEventsAreAggregatedIntoOneWithACount() throws Exception {
        ConfigMap target = client.create(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName("noisy")
                .endMetadata().build());
        try (ApiEventRecorder recorder = new ApiEventRecorder(client, "test-component", "node-1", Clock.systemUTC())) {
            recorder.event(target, EventType.WARNING, "Flapping", "went %s", "down");
            Clients.await("the first event", WAIT, () -> events("noisy", "Flapping").size() == 1);
            recorder.event(target, EventType.WARNING, "Flapping", "went %s", "down");
            recorder.event(target, EventType.WARNING, "Flapping", "went %s", "up");
            Clients.await("two events, one counted twice", WAIT, () -> events("noisy", "Flapping").size() == 2
                    && events("noisy", "Flapping").stream().anyMatch(e -> e.getCount() == 2));
            Event down = events("noisy", "Flapping").stream().filter(e -> e.getMessage().equals("went down"))
                    .findFirst().orElseThrow();
            assertThat(down.getCount()).isEqualTo(2);
            assertThat(down.getType()).isEqualTo("Warning");
            assertThat(down.getSource().getComponent()).isEqualTo("test-component");
            assertThat(down.getSource().getHost()).isEqualTo("node-1");
            assertThat(down.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
            assertThat(down.getInvolvedObject().getUid()).isEqualTo(target.getMetadata().getUid());
            assertThat(down.getFirstTimestamp()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(down.getLastTimestamp()).isGreaterThanOrEqualTo(down.getFirstTimestamp());
            if (Kubectl.available()) {
                Kubectl.Result r = new Kubectl(cluster.kubeconfig()).run("get", "events", "-n", NS,
                        "--field-selector", "reason=Flapping", "-o", "jsonpath={range .items[*]}{.count} {.message};{end}");
                assertThat(r.out()).as("kubectl: %s", r.err()).contains("2 went down;").contains("1 went up;");
            }
        }
    }

    @Test
    void similarEventsAreCombinedAndAFloodAboutOneObjectIsCutAt25() throws Exception {
        ConfigMap target = client.create(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName("flood")
                .endMetadata().build());
        try (ApiEventRecorder recorder = new ApiEventRecorder(client, "test-component", "", Clock.systemUTC())) {
            for (int i = 0; i < 40; i++) {
                recorder.event(target, EventType.NORMAL, "Step", "step %d", i);
            }
            Clients.await("40 events correlated", WAIT, () -> recorder.writes() + recorder.filtered() == 40);
            assertThat(recorder.filtered()).as("beyond the burst of 25").isEqualTo(15);
            List<Event> events = events("flood", "Step");
            assertThat(events).hasSize(10);
            assertThat(events.stream().filter(e -> e.getMessage().matches("step [0-8]")).count()).isEqualTo(9);
            Event combined = events.stream().filter(e -> e.getMessage().startsWith("(combined")).findFirst().orElseThrow();
            assertThat(combined.getMessage()).isEqualTo("(combined from similar events): step 24");
            assertThat(combined.getCount()).as("steps 9 to 24").isEqualTo(16);
        }
    }
}
