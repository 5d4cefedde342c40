package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.leaderelection.LeaderCallbacks;
import io.kube4j.runtime.leaderelection.LeaderElectionConfig;
import io.kube4j.runtime.leaderelection.LeaderElector;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two candidates elect a leader through a Lease and the legacy Endpoints annotation of a real API server. */
class TestLeaderElector {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.start("memory.yaml", Files.createTempDirectory("kube4j-election"));
        client = Clients.admin(cluster);
        try {
            client.create(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build());
        } catch (ApiException e) {
            assertThat(e.isConflict()).as("kube-system exists already").isTrue();
        }
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

    private static final class Events implements LeaderCallbacks {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();

        @Override
        public void onStartedLeading() {
            log.add("started");
        }

        @Override
        public void onStoppedLeading() {
            log.add("stopped");
        }

        String next() throws InterruptedException {
            String e = log.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("a leadership change within " + WAIT).isNotNull();
            return e;
        }
    }

    /** Lease 15 s as in production, but trying every 100 ms so that the test is quick. */
    private static LeaderElectionConfig config(String identity) {
        return LeaderElectionConfig.defaults("test-election", identity)
                .withTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(100));
    }

    @Test
    void oneWinsAndAGracefulStopHandsOverAtOnce() throws Exception {
        Events aEvents = new Events();
        Events bEvents = new Events();
        LeaderElector a = new LeaderElector(client, config("candidate-a"), aEvents);
        LeaderElector b = new LeaderElector(client, config("candidate-b"), bEvents);
        try {
            a.start();
            assertThat(aEvents.next()).isEqualTo("started");
            assertThat(a.isLeader()).isTrue();
            b.start();
            Clients.await("b sees a lead", WAIT, () -> b.currentLeader().equals("candidate-a"));
            assertThat(b.isLeader()).isFalse();

            Lease lease = client.get(Lease.class, "kube-system", "test-election").orElseThrow();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("candidate-a");
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
            assertThat(lease.getSpec().getLeaseTransitions()).isZero();
            if (Kubectl.available()) {
                Kubectl.Result r = new Kubectl(cluster.kubeconfig()).run("get", "lease", "-n", "kube-system",
                        "test-election", "-o", "jsonpath={.spec.holderIdentity} {.spec.renewTime}");
                assertThat(r.out()).as("kubectl: %s", r.err())
                        .matches("candidate-a \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
            }
            assertThat(annotation().path("holderIdentity").asText()).isEqualTo("candidate-a");
            assertThat(annotation().path("leaseDurationSeconds").asInt()).isEqualTo(15);

            long stoppedAt = System.nanoTime();
            a.close();
            assertThat(aEvents.next()).isEqualTo("stopped");
            assertThat(bEvents.next()).isEqualTo("started");
            assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
                    .as("taken over well before the 15 s lease would expire").isLessThan(Duration.ofSeconds(10));
            assertThat(b.isLeader()).isTrue();
            Lease taken = client.get(Lease.class, "kube-system", "test-election").orElseThrow();
            assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("candidate-b");
            assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(1);
            Clients.await("the annotation names b", WAIT,
                    () -> annotation().path("holderIdentity").asText().equals("candidate-b"));
            assertThat(annotation().path("leaderTransitions").asInt()).isEqualTo(1);
        } finally {
            a.close();
            b.close();
        }
        assertThat(bEvents.next()).isEqualTo("stopped");
        Lease released = client.get(Lease.class, "kube-system", "test-election").orElseThrow();
        assertThat(released.getSpec().getHolderIdentity()).as("released on close").isEmpty();
    }

    @Test
    void aLeaseNobodyRenewsIsTakenOverAfterItsDuration() throws Exception {
        Instant now = Instant.now();
        client.create(new LeaseBuilder().withNewMetadata().withNamespace("kube-system").withName("crashed").endMetadata()
                .withNewSpec().withHolderIdentity("ghost").withLeaseDurationSeconds(2)
                .withAcquireTime(now.atZone(ZoneOffset.UTC)).withRenewTime(now.atZone(ZoneOffset.UTC))
                .withLeaseTransitions(4).endSpec().build());
        Events events = new Events();
        List<String> leaders = new CopyOnWriteArrayList<>();
        LeaderCallbacks callbacks = new LeaderCallbacks() {
            @Override
            public void onStartedLeading() {
                events.onStartedLeading();
            }

            @Override
            public void onNewLeader(String identity) {
                leaders.add(identity);
            }
        };
        long start = System.nanoTime();
        try (LeaderElector standby = new LeaderElector(client, LeaderElectionConfig.defaults("crashed", "standby")
                .withTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(100)), callbacks)) {
            standby.start();
            assertThat(events.next()).isEqualTo("started");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the lease expired")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(leaders).containsExactly("ghost", "standby");
            Lease lease = client.get(Lease.class, "kube-system", "crashed").orElseThrow();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("standby");
            assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(5);
        }
    }

    @Test
    void aLeaderThatCannotRenewStepsDown() throws Exception {
        Events events = new Events();
        try (LeaderElector a = new LeaderElector(client, LeaderElectionConfig.defaults("stolen", "victim")
                .withTimings(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(100)), events)) {
            a.start();
            assertThat(events.next()).isEqualTo("started");
            Lease lease = client.get(Lease.class, "kube-system", "stolen").orElseThrow();
            Instant now = Instant.now();
            client.update(new LeaseBuilder(lease).editSpec().withHolderIdentity("thief")
                    .withRenewTime(now.atZone(ZoneOffset.UTC)).endSpec().build());
            assertThat(events.next()).as("no renewal within the 1 s renew deadline").isEqualTo("stopped");
            assertThat(a.isLeader()).isFalse();
            assertThat(a.currentLeader()).isEqualTo("thief");
            assertThat(events.next()).as("the thief never renews: taken back after 3 s").isEqualTo("started");
        }
    }

    private static JsonNode annotation() {
        Endpoints ep = client.get(Endpoints.class, "kube-system", "test-election").orElseThrow();
        try {
            return new ObjectMapper().readTree(ep.getMetadata().getAnnotations().get(LeaderElector.ANNOTATION));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
