package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler of the single-node profile against three Node objects made through the API (no
 * kubelet exists yet): node-1 and node-2 with 4 CPUs, node-3 with 4 CPUs and a {@code dedicated=gpu}
 * NoSchedule taint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestScheduler {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.startWithoutNodes("single-node.yaml", Files.createTempDirectory("kube4j-scheduler"));
        client = Clients.admin(cluster);
        createNode("node-1", "4", Optional.empty());
        createNode("node-2", "4", Optional.empty());
        createNode("node-3", "4", Optional.of("gpu"));
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

    private static void createNode(String name, String cpu, Optional<String> dedicated) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity(cpu), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus();
        if (dedicated.isPresent()) {
            node.editSpec().addNewTaint().withKey("dedicated").withValue(dedicated.get()).withEffect("NoSchedule")
                    .endTaint().endSpec();
        }
        Node created = client.create(node.build());
        if (created.getStatus() == null || created.getStatus().getAllocatable() == null
                || created.getStatus().getAllocatable().isEmpty()) {
            created.setStatus(node.build().getStatus());
            client.updateStatus(created);
        }
    }

    private static void namespace(String name) {
        client.create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    }

    private static PodBuilder pod(String namespace, String name, String cpu) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("256Mi")))
                .endResources().endContainer().endSpec();
    }

    private static String nodeOf(String namespace, String name) {
        return client.get(Pod.class, namespace, name).map(p -> p.getSpec().getNodeName()).orElse(null);
    }

    private static String awaitBound(String namespace, String name) throws InterruptedException {
        Clients.await(namespace + "/" + name + " bound", WAIT, () -> {
            String node = nodeOf(namespace, name);
            return node != null && !node.isEmpty();
        });
        return nodeOf(namespace, name);
    }

    private static List<Event> events(String namespace) {
        return client.list(Event.class, ListOptions.inNamespace(namespace)).items();
    }

    @Test
    @Order(1)
    void podsAreBoundAndSpreadOverTheNodesTheyTolerate() throws Exception {
        namespace("spread");
        for (int i = 0; i < 4; i++) {
            client.create(pod("spread", "web-" + i, "500m").build());
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            perNode.merge(awaitBound("spread", "web-" + i), 1, Integer::sum);
        }
        assertThat(perNode).as("least-allocated scoring spreads; nobody tolerates node-3's taint")
                .containsExactlyInAnyOrderEntriesOf(Map.of("node-1", 2, "node-2", 2));

        Clients.await("a Scheduled event per pod", WAIT, () -> events("spread").stream()
                .filter(e -> "Scheduled".equals(e.getReason())).count() == 4);
        Event scheduled = events("spread").stream().filter(e -> "Scheduled".equals(e.getReason())
                && e.getInvolvedObject().getName().equals("web-0")).findFirst().orElseThrow();
        assertThat(scheduled.getMessage()).isEqualTo("Successfully assigned spread/web-0 to " + nodeOf("spread", "web-0"));
        assertThat(scheduled.getType()).isEqualTo("Normal");

        if (Kubectl.available()) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            String wide = kubectl.run("get", "pods", "-n", "spread", "-o", "wide").ok().out();
            assertThat(wide.lines().findFirst().orElseThrow()).contains("NODE");
            assertThat(wide).contains("node-1", "node-2").doesNotContain("node-3");
            assertThat(kubectl.run("get", "events", "-n", "spread").ok().out())
                    .contains("Scheduled", "Successfully assigned spread/web-0 to node-");
        }
    }

    @Test
    @Order(2)
    void nodeSelectorAndTolerationsAreRespected() throws Exception {
        namespace("select");
        client.create(pod("select", "on-2", "100m").editSpec()
                .withNodeSelector(Map.of("kubernetes.io/hostname", "node-2")).endSpec().build());
        Toleration gpu = new Toleration("NoSchedule", "dedicated", "Equal", null, "gpu");
        client.create(pod("select", "gpu", "100m").editSpec().withTolerations(gpu)
                .withNodeSelector(Map.of("kubernetes.io/hostname", "node-3")).endSpec().build());
        assertThat(awaitBound("select", "on-2")).isEqualTo("node-2");
        assertThat(awaitBound("select", "gpu")).isEqualTo("node-3");
    }

    @Test
    @Order(3)
    void theSchedulerLeadsThroughItsLease() throws Exception {
        Clients.await("the kube-scheduler lease is held", WAIT, () -> client.get(Lease.class, "kube-system", "kube-scheduler")
                .map(l -> l.getSpec().getHolderIdentity() != null && !l.getSpec().getHolderIdentity().isEmpty())
                .orElse(false));
        if (Kubectl.available()) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            assertThat(kubectl.run("get", "lease", "-n", "kube-system").ok().out()).contains("kube-scheduler");
            String cs = kubectl.run("get", "componentstatuses").ok().out();
            assertThat(cs.lines().filter(l -> l.startsWith("scheduler")).findFirst().orElseThrow()).contains("Healthy");
        }
    }

    @Test
    @Order(4)
    void aPodThatFitsNowhereIsReportedAndBoundOnceABigNodeArrives() throws Exception {
        namespace("big");
        client.create(pod("big", "huge", "16").build());
        String expected = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu."
                + " preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,"
                + " 2 No preemption victims found for incoming pod.";
        Clients.await("a FailedScheduling event", WAIT, () -> events("big").stream()
                .anyMatch(e -> "FailedScheduling".equals(e.getReason())));
        Event failed = events("big").stream().filter(e -> "FailedScheduling".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(failed.getMessage()).isEqualTo(expected);
        assertThat(failed.getType()).isEqualTo("Warning");
        Clients.await("PodScheduled=False", WAIT, () -> scheduledCondition("big", "huge").isPresent());
        PodCondition condition = scheduledCondition("big", "huge").orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        assertThat(condition.getMessage()).isEqualTo(expected);
        assertThat(nodeOf("big", "huge")).isNullOrEmpty();

        createNode("node-big", "32", Optional.empty());
        assertThat(awaitBound("big", "huge")).isEqualTo("node-big");
    }

    @Test
    @Order(5)
    void requiredPodAffinityPutsAPodNextToItsPeerOnTheBusiestNode() throws Exception {
        namespace("affinity");
        client.create(pod("affinity", "db", "100m").editMetadata().addToLabels("app", "db").endMetadata().editSpec()
                .withNodeSelector(Map.of("kubernetes.io/hostname", "node-big")).endSpec().build());
        assertThat(awaitBound("affinity", "db")).isEqualTo("node-big");

        // node-big is half full; least-allocated scoring alone would pick node-1 or node-2.
        client.create(pod("affinity", "app", "100m").editSpec().withNewAffinity().withNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().addToMatchLabels("app", "db").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec().build());
        assertThat(awaitBound("affinity", "app")).isEqualTo("node-big");
    }

    @Test
    @Order(6)
    void hardTopologySpreadPutsOneReplicaPerHost() throws Exception {
        namespace("topology");
        for (int i = 0; i < 3; i++) {
            client.create(pod("topology", "replica-" + i, "100m").editMetadata().addToLabels("app", "replica").endMetadata()
                    .editSpec().addNewTopologySpreadConstraint().withTopologyKey("kubernetes.io/hostname").withMaxSkew(1)
                    .withWhenUnsatisfiable("DoNotSchedule").withNewLabelSelector().addToMatchLabels("app", "replica")
                    .endLabelSelector().endTopologySpreadConstraint().endSpec().build());
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            perNode.merge(awaitBound("topology", "replica-" + i), 1, Integer::sum);
        }
        // node-3's untolerated taint is ignored by default (nodeTaintsPolicy: Ignore): it is an empty domain, so
        // every other host may hold one replica; least-allocated scoring alone would put two on node-1 or node-2.
        assertThat(perNode).containsExactlyInAnyOrderEntriesOf(Map.of("node-1", 1, "node-2", 1, "node-big", 1));
    }

    private static Optional<PodCondition> scheduledCondition(String namespace, String name) {
        return client.get(Pod.class, namespace, name).flatMap(p -> p.getStatus() == null || p.getStatus().getConditions() == null
                ? Optional.empty()
                : p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst());
    }
}
