package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller (with the garbage collector) against a real API server; no kubelet, tests make pods ready. */
class TestReplicaSetController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "rs";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNamespaceController.startWithControllers("kube4j-rs");
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

    static ReplicaSet replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withNewSpec()
                .withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", name).addToLabels("tier", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static List<Pod> podsOf(String app) {
        return client.list(Pod.class, ListOptions.inNamespace(NS).withLabelSelector("app=" + app)).items().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Optional<OwnerReference> controller(Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    private static ReplicaSet rs(String name) {
        return client.get(ReplicaSet.class, NS, name).orElseThrow();
    }

    private static void markReady(Pod pod) {
        Pod ready = new PodBuilder(pod).editOrNewStatus().withPhase("Running").withConditions(new PodConditionBuilder()
                .withType("Ready").withStatus("True").withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .build()).endStatus().build();
        client.updateStatus(ready);
    }

    private static long events(String rsName, String reason) {
        return client.list(Event.class, ListOptions.inNamespace(NS)).items().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(rsName) && e.getReason().equals(reason))
                .mapToLong(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }

    @Test
    void createsThePodsReportsReadinessAndScalesBothWays() throws Exception {
        ReplicaSet created = client.create(replicaSet("web", 3));
        Clients.await("3 pods", WAIT, () -> podsOf("web").size() == 3);
        for (Pod pod : podsOf("web")) {
            assertThat(pod.getMetadata().getName()).startsWith("web-");
            assertThat(pod.getMetadata().getLabels()).containsEntry("tier", "web");
            OwnerReference ref = controller(pod).orElseThrow();
            assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(ref.getKind()).isEqualTo("ReplicaSet");
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        }
        Clients.await("status replicas 3", WAIT, () -> rs("web").getStatus() != null
                && rs("web").getStatus().getReplicas() == 3 && rs("web").getStatus().getFullyLabeledReplicas() == 3
                && rs("web").getStatus().getObservedGeneration() == 1L);
        Clients.await("SuccessfulCreate x3", WAIT, () -> events("web", "SuccessfulCreate") == 3);

        podsOf("web").forEach(TestReplicaSetController::markReady);
        Clients.await("3 ready and available", WAIT, () -> rs("web").getStatus().getReadyReplicas() == 3
                && rs("web").getStatus().getAvailableReplicas() == 3);

        ReplicaSet scaled = rs("web");
        scaled.getSpec().setReplicas(1);
        client.update(scaled);
        Clients.await("1 pod", WAIT, () -> podsOf("web").size() == 1);
        Clients.await("status 1, generation 2", WAIT, () -> rs("web").getStatus().getReplicas() == 1
                && rs("web").getStatus().getObservedGeneration() == 2L);
        Clients.await("SuccessfulDelete x2", WAIT, () -> events("web", "SuccessfulDelete") == 2);

        scaled = rs("web");
        scaled.getSpec().setReplicas(4);
        client.update(scaled);
        Clients.await("4 pods", WAIT, () -> podsOf("web").size() == 4);
        Thread.sleep(1000);
        assertThat(podsOf("web")).as("never more than asked").hasSize(4);
    }

    @Test
    void neverCreatesMoreThanAskedWhileItsCreatesAreInFlight() throws Exception {
        client.create(replicaSet("many", 30));
        Clients.await("30 pods", WAIT, () -> podsOf("many").size() == 30);
        Thread.sleep(1500);
        assertThat(client.list(Pod.class, ListOptions.inNamespace(NS).withLabelSelector("app=many")).items()).hasSize(30);
        assertThat(events("many", "SuccessfulCreate")).as("as client-go, 25 events about one object at once, then one"
                + " every 5 minutes").isEqualTo(25);
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() throws Exception {
        Pod orphan = client.create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("stray")
                .addToLabels("app", "adopter").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build());
        ReplicaSet rs = client.create(replicaSet("adopter", 2));
        Clients.await("the orphan adopted", WAIT, () -> client.get(Pod.class, NS, "stray").flatMap(TestReplicaSetController::controller)
                .map(r -> r.getUid().equals(rs.getMetadata().getUid())).orElse(false));
        Clients.await("2 pods in all", WAIT, () -> podsOf("adopter").size() == 2);
        Thread.sleep(500);
        assertThat(podsOf("adopter")).hasSize(2);

        Pod stray = client.get(Pod.class, NS, "stray").orElseThrow();
        stray.getMetadata().getLabels().put("app", "elsewhere");
        client.update(stray);
        Clients.await("released", WAIT, () -> client.get(Pod.class, NS, "stray").map(p -> controller(p).isEmpty()).orElse(false));
        Clients.await("replaced", WAIT, () -> podsOf("adopter").size() == 2);
        assertThat(orphan.getMetadata().getUid()).isEqualTo(client.get(Pod.class, NS, "stray").orElseThrow().getMetadata().getUid());
    }

    @Test
    void deletingTheReplicaSetCascadesInEachPropagationMode() throws Exception {
        for (String policy : List.of("Background", "Foreground", "Orphan")) {
            String name = "cascade-" + policy.toLowerCase(java.util.Locale.ROOT);
            client.create(replicaSet(name, 2));
            Clients.await(name + " pods", WAIT, () -> podsOf(name).size() == 2);
            client.delete(ReplicaSet.class, NS, name, new DeleteOptions(OptionalLong.empty(), policy, ""));
            Clients.await(name + " gone", WAIT, () -> client.get(ReplicaSet.class, NS, name).isEmpty());
            if (policy.equals("Orphan")) {
                Thread.sleep(500);
                assertThat(podsOf(name)).hasSize(2).allSatisfy(p -> assertThat(controller(p)).isEmpty());
            } else {
                if (policy.equals("Foreground")) {
                    assertThat(podsOf(name)).as("foreground: pods gone before the owner").isEmpty();
                }
                Clients.await(name + " pods gone", WAIT, () -> podsOf(name).isEmpty());
            }
        }
    }
}
