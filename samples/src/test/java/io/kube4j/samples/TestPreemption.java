package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Priority and preemption on the single-node profile (Priority admission, DefaultPreemption), with
 * one 2-CPU Node object made through the API (no kubelet: victims get a zero grace period so that
 * their deletion is immediate).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestPreemption {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "prio";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.startWithoutNodes("single-node.yaml", Files.createTempDirectory("kube4j-preemption"));
        client = Clients.admin(cluster);
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        client.create(new NodeBuilder().withNewMetadata().withName("node-1")
                .withLabels(Map.of("kubernetes.io/hostname", "node-1")).endMetadata().withNewSpec().endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
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

    @Test
    @Order(1)
    void priorityClassesAreServedAndResolvedIntoPods() throws Exception {
        assertThat(client.get(PriorityClass.class, "", "system-node-critical")).map(PriorityClass::getValue)
                .contains(2_000_001_000);
        assertThat(client.get(PriorityClass.class, "", "system-cluster-critical")).map(PriorityClass::getValue)
                .contains(2_000_000_000);
        assertThatThrownBy(() -> client.delete(PriorityClass.class, "", "system-node-critical", DeleteOptions.DEFAULT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403));
        if (Kubectl.available()) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            kubectl.run("create", "priorityclass", "low", "--value=10", "--description=victims").ok();
            kubectl.run("create", "priorityclass", "high", "--value=1000").ok();
            assertThat(kubectl.run("get", "priorityclasses").ok().out())
                    .contains("low", "high", "system-node-critical", "system-cluster-critical");
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: classy, namespace: prio}
                    spec:
                      priorityClassName: high
                      schedulerName: nobody
                      containers: [{name: c, image: busybox}]
                    """, "create", "-f", "-").ok();
            assertThat(kubectl.run("get", "pod", "classy", "-n", NS, "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}")
                    .ok().out()).isEqualTo("1000 PreemptLowerPriority");
            Kubectl.Result unknown = kubectl.run("run", "nope", "-n", NS, "--image=busybox",
                    "--overrides={\"spec\":{\"priorityClassName\":\"nope\"}}");
            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.err()).contains("pods \"nope\" is forbidden: no PriorityClass with name nope was found");
        } else {
            client.create(new PriorityClassBuilder().withNewMetadata().withName("low").endMetadata().withValue(10).build());
            client.create(new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000).build());
        }
        assertThatThrownBy(() -> client.create(pod("unknown", "missing", "100m")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("no PriorityClass with name missing was found");
                });
    }

    @Test
    @Order(2)
    void aHighPriorityPodPreemptsTheLowOneOnAFullNode() throws Exception {
        client.create(pod("low", "low", "1500m"));
        Clients.await("low bound", WAIT, () -> "node-1".equals(nodeOf("low")));
        assertThat(client.get(Pod.class, NS, "low").orElseThrow().getSpec().getPriority()).isEqualTo(10);

        Set<String> nominatedSeen = ConcurrentHashMap.newKeySet();
        Pod high = client.create(pod("high", "high", "1500m"));
        Clients.await("high bound", WAIT, () -> {
            client.get(Pod.class, NS, "high").map(p -> p.getStatus().getNominatedNodeName())
                    .filter(n -> n != null && !n.isEmpty()).ifPresent(nominatedSeen::add);
            return "node-1".equals(nodeOf("high"));
        });
        client.get(Pod.class, NS, "high").map(p -> p.getStatus().getNominatedNodeName()).ifPresent(n -> {
            if (n != null) {
                nominatedSeen.add(n);
            }
        });

        assertThat(client.get(Pod.class, NS, "low")).as("the victim is gone").isEmpty();
        assertThat(nominatedSeen).containsExactly("node-1");
        Clients.await("a Preempted event", WAIT, () -> events().stream().anyMatch(e -> "Preempted".equals(e.getReason())));
        Event preempted = events().stream().filter(e -> "Preempted".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(preempted.getInvolvedObject().getName()).isEqualTo("low");
        assertThat(preempted.getMessage()).isEqualTo("Preempted by pod " + high.getMetadata().getUid() + " on node node-1");
        assertThat(events().stream().filter(e -> "FailedScheduling".equals(e.getReason())
                && "high".equals(e.getInvolvedObject().getName())).map(Event::getMessage))
                .contains("0/1 nodes are available: 1 Insufficient cpu.");
    }

    @Test
    @Order(3)
    void neitherAnEqualPriorityPodNorOneThatNeverPreemptsEvicts() throws Exception {
        client.create(new PriorityClassBuilder().withNewMetadata().withName("polite").endMetadata().withValue(5000)
                .withPreemptionPolicy("Never").build());
        client.create(pod("peer", "high", "1500m"));
        client.create(pod("polite", "polite", "1500m"));

        Clients.await("both reported", WAIT, () -> failedMessage("peer").isPresent() && failedMessage("polite").isPresent());
        assertThat(failedMessage("peer")).contains("0/1 nodes are available: 1 Insufficient cpu. preemption: "
                + "0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        assertThat(failedMessage("polite")).contains("0/1 nodes are available: 1 Insufficient cpu. preemption: "
                + "not eligible due to preemptionPolicy=Never.");
        assertThat(nodeOf("high")).isEqualTo("node-1");
        assertThat(nodeOf("peer")).isNullOrEmpty();
    }

    private static Optional<String> failedMessage(String pod) {
        return events().stream().filter(e -> "FailedScheduling".equals(e.getReason())
                && pod.equals(e.getInvolvedObject().getName())).map(Event::getMessage).findFirst();
    }

    private static Pod pod(String name, String priorityClass, String cpu) {
        return new PodBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withPriorityClassName(priorityClass).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("c").withImage("busybox")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("64Mi")))
                .endResources().endContainer().endSpec().build();
    }

    private static String nodeOf(String name) {
        return client.get(Pod.class, NS, name).map(p -> p.getSpec().getNodeName()).orElse(null);
    }

    private static List<Event> events() {
        return client.list(Event.class, ListOptions.inNamespace(NS)).items();
    }
}
