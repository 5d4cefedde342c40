package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code nodelifecycle} and {@code taint-eviction-controller} controllers on Nodes and Leases made
 * by the test, which plays the kubelets: it renews the Leases of the nodes in {@link #alive} every
 * second, and stops renewing one to let it expire (grace period 3 s here instead of 40 s).
 */
class TestNodeLifecycleController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "default";
    private static final String LEASES = "kube-node-lease";
    private static final Set<String> alive = ConcurrentHashMap.newKeySet();
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;
    private static volatile boolean stopped;
    private static Thread kubelets;

    @BeforeAll
    static void start() throws Exception {
        Path file = Profiles.DIR.resolve("single-node.yaml");
        ClusterProfile profile = ProfileLoader.load(file).withDataDir(Files.createTempDirectory("kube4j-nodelifecycle").toString())
                .withAddress("127.0.0.1:0").withNodes(List.of());
        ObjectNode grace = JsonNodeFactory.instance.objectNode().put("nodeMonitorGracePeriod", "3s")
                .put("nodeStartupGracePeriod", "3s");
        ControllerManagerProfile cm = profile.controllerManager().orElseThrow();
        profile = profile.withControllerManager(Optional.of(new ControllerManagerProfile(cm.controllers(), cm.workers(),
                cm.leaderElection(), Map.of("nodelifecycle", grace))));
        cluster = Cluster.start(Profiles.onFreePorts(profile), file.toString(), Optional.empty());
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
        kubelets = Thread.ofVirtual().name("test-kubelets").start(() -> {
            while (!stopped) {
                for (String node : alive) {
                    try {
                        renew(node);
                    } catch (RuntimeException e) {
                        // A conflict with our own previous write: the next round renews it.
                    }
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        stopped = true;
        if (kubelets != null) {
            kubelets.join(5000);
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void renew(String node) {
        Optional<Lease> lease = client.get(Lease.class, LEASES, node);
        var renewTime = Instant.now().truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
        if (lease.isEmpty()) {
            client.create(new LeaseBuilder().withNewMetadata().withNamespace(LEASES).withName(node).endMetadata().withNewSpec()
                    .withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(renewTime).endSpec().build());
        } else {
            client.update(new LeaseBuilder(lease.get()).editSpec().withRenewTime(renewTime).endSpec().build());
        }
    }

    /** A Node as a kubelet registers it, Ready {@code ready}, its Lease renewed by the test. */
    private static void node(String name, String ready, Taint... taints) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
        Node node = new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().withTaints(taints).endSpec().withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .endStatus().build();
        client.create(node);
        postStatus(name, ready);
        renew(name);
        alive.add(name);
    }

    /** Posts the node's conditions as its kubelet would, retrying when the node lifecycle controller wrote meanwhile. */
    private static void postStatus(String name, String ready) {
        for (int attempt = 0; ; attempt++) {
            Node current = get(name);
            if (current.getStatus().getAllocatable() == null || current.getStatus().getAllocatable().isEmpty()) {
                Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                        "pods", new Quantity("110"));
                current.getStatus().setAllocatable(allocatable);
                current.getStatus().setCapacity(allocatable);
            }
            current.getStatus().setConditions(List.of(condition("Ready", ready), condition("MemoryPressure", "False")));
            try {
                client.updateStatus(current);
                return;
            } catch (ApiException e) {
                if (!e.isConflict() || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static NodeCondition condition(String type, String status) {
        return new NodeCondition(now(), now(), "kubelet says so", "Kubelet" + status, status, type);
    }

    /** A pod bound to {@code node}, marked Running and Ready as its kubelet would. */
    private static void pod(String name, String node, Toleration... tolerations) {
        Pod pod = client.create(new PodBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withNewSpec()
                .withNodeName(node).addNewContainer().withName("c").withImage("busybox").withCommand("sleep", "3600").endContainer()
                .withTolerations(tolerations).endSpec().build());
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now()).endCondition().build());
        try {
            client.updateStatus(pod);
        } catch (ApiException e) {
            // A pod that does not tolerate its node's taints may be evicted before it gets here.
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
        }
    }

    private static Node get(String node) {
        return client.get(Node.class, "", node).orElseThrow();
    }

    private static String ready(String node) {
        return get(node).getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
                .map(NodeCondition::getStatus).orElse("");
    }

    private static List<String> taints(String node) {
        List<Taint> taints = get(node).getSpec().getTaints();
        return taints == null ? List.of() : taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).sorted().toList();
    }

    private static boolean deleting(String pod) {
        return client.get(Pod.class, NS, pod).map(p -> p.getMetadata().getDeletionTimestamp() != null).orElse(true);
    }

    private static boolean podReady(String pod) {
        return client.get(Pod.class, NS, pod).orElseThrow().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    @Test
    void aNodeWhoseLeaseExpiresIsUnknownTaintedItsPodsEvictedByTheirTolerationsAndItComesBack() throws Exception {
        node("nl-gone", "True");
        pod("defaulted", "nl-gone");
        pod("short", "nl-gone", new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 2L, null));
        pod("forever", "nl-gone", new Toleration(null, null, "Exists", null, null));
        assertThat(client.get(Pod.class, NS, "defaulted").orElseThrow().getSpec().getTolerations())
                .as("DefaultTolerationSeconds").extracting(t -> t.getKey() + ":" + t.getEffect() + ":" + t.getTolerationSeconds())
                .containsExactly("node.kubernetes.io/not-ready:NoExecute:300", "node.kubernetes.io/unreachable:NoExecute:300");
        node("nl-alive", "True");

        alive.remove("nl-gone");
        Clients.await("nl-gone Unknown", WAIT, () -> ready("nl-gone").equals("Unknown"));
        NodeCondition condition = get("nl-gone").getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .findFirst().orElseThrow();
        assertThat(condition.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(condition.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(get("nl-gone").getStatus().getConditions()).filteredOn(c -> c.getType().equals("MemoryPressure"))
                .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
        Clients.await("unreachable taints", WAIT, () -> taints("nl-gone").equals(
                List.of("node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule")));
        Clients.await("its pods not ready", WAIT, () -> !podReady("forever") && !podReady("defaulted"));
        Clients.await("the pod tolerating 2 s is deleted", WAIT, () -> deleting("short"));
        assertThat(deleting("forever")).as("tolerates forever").isFalse();
        assertThat(deleting("defaulted")).as("tolerates 300 s").isFalse();
        assertThat(ready("nl-alive")).as("the renewed node stays Ready").isEqualTo("True");
        assertThat(taints("nl-alive")).isEmpty();

        Kubectl.Result nodes = kubectl.run("get", "nodes", "--no-headers").ok();
        assertThat(nodes.out()).containsPattern("nl-gone\\s+NotReady").containsPattern("nl-alive\\s+Ready");
        Clients.await("a TaintManagerEviction event", WAIT, () -> kubectl.run("get", "events", "--field-selector",
                "reason=TaintManagerEviction", "-o", "jsonpath={.items[*].message}").ok().out()
                .contains("Marking for deletion Pod default/short"));

        // The kubelet comes back: it renews its Lease and posts Ready.
        renew("nl-gone");
        alive.add("nl-gone");
        postStatus("nl-gone", "True");
        Clients.await("taints removed", WAIT, () -> taints("nl-gone").isEmpty());
        assertThat(ready("nl-gone")).isEqualTo("True");
    }

    @Test
    void aNotReadyNodeIsTaintedNotReadyAndAnUntoleratedNoExecuteTaintEvictsAtOnce() throws Exception {
        node("nl-sick", "False");
        Clients.await("not-ready taints", WAIT, () -> taints("nl-sick").equals(
                List.of("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule")));
        pod("sick-pod", "nl-sick");
        Clients.await("a pod on a not-ready node is marked not ready", WAIT, () -> !podReady("sick-pod"));
        assertThat(deleting("sick-pod")).as("tolerates not-ready for 300 s").isFalse();

        node("nl-dedicated", "True", new Taint("NoExecute", "dedicated", null, "db"));
        pod("db", "nl-dedicated", new Toleration("NoExecute", "dedicated", "Equal", null, "db"));
        pod("web", "nl-dedicated");
        Clients.await("the pod not tolerating the taint is deleted", WAIT, () -> deleting("web"));
        Pod web = client.get(Pod.class, NS, "web").orElse(null);
        if (web != null) {
            assertThat(web.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("DisruptionTarget");
                assertThat(c.getReason()).isEqualTo("DeletionByTaintManager");
            });
        }
        assertThat(deleting("db")).isFalse();

        Kubectl.Result cordon = kubectl.run("cordon", "nl-dedicated").ok();
        assertThat(cordon.out()).contains("cordoned");
        Clients.await("cordoning taints unschedulable", WAIT, () -> taints("nl-dedicated").contains("node.kubernetes.io/unschedulable:NoSchedule"));
        kubectl.run("uncordon", "nl-dedicated").ok();
        Clients.await("uncordoning removes it", WAIT, () -> taints("nl-dedicated").equals(List.of("dedicated:NoExecute")));
        assertThat(deleting("db")).isFalse();
    }

    /**
     * A real kubelet (the default profile's node-1, {@code process} runtime) is closed: its Lease stops
     * being renewed, the node goes NotReady, and its pod that tolerates unreachable for 1 s is evicted.
     * The grace period is 20 s here, twice the kubelet's 10 s heartbeat.
     */
    @Test
    void aClosedKubeletsNodeGoesNotReadyAndItsPodsAreEvicted() throws Exception {
        Path file = Profiles.DIR.resolve("single-node.yaml");
        ClusterProfile profile = ProfileLoader.load(file).withDataDir(Files.createTempDirectory("kube4j-kubelet-dies").toString())
                .withAddress("127.0.0.1:0");
        ControllerManagerProfile cm = profile.controllerManager().orElseThrow();
        profile = profile.withControllerManager(Optional.of(new ControllerManagerProfile(cm.controllers(), cm.workers(),
                cm.leaderElection(), Map.of("nodelifecycle", JsonNodeFactory.instance.objectNode()
                        .put("nodeMonitorGracePeriod", "20s")))));
        try (Cluster withKubelet = Cluster.start(Profiles.onFreePorts(profile), file.toString(), Optional.empty())) {
            Kubectl k = new Kubectl(withKubelet.kubeconfig());
            k.run("wait", "--for=condition=Ready", "node/node-1", "--timeout=60s").ok();
            k.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: sleeper}
                    spec:
                      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}]
                      containers:
                      - {name: c, image: busybox, command: [sleep, "3600"]}
                    """, "apply", "-f", "-").ok();
            k.run("wait", "--for=condition=Ready", "pod/sleeper", "--timeout=60s").ok();

            withKubelet.kubelets().get(0).close();
            k.run("wait", "--for=condition=Ready=Unknown", "node/node-1", "--timeout=90s").ok();
            assertThat(k.run("get", "nodes", "--no-headers").ok().out()).containsPattern("node-1\\s+NotReady");
            assertThat(k.run("get", "node", "node-1", "-o", "jsonpath={.spec.taints[*].key}").ok().out())
                    .contains("node.kubernetes.io/unreachable");
            Clients.await("the pod is evicted", WAIT, () -> !k.run("get", "pod", "sleeper", "-o",
                    "jsonpath={.metadata.deletionTimestamp}").out().isBlank()
                    || k.run("get", "pod", "sleeper").exitCode() != 0);
        }
    }
}
