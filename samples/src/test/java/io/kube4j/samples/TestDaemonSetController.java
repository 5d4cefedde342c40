package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet controller with the default scheduler, on Nodes made through the API (no kubelet: the
 * pods are placed, not run).
 */
class TestDaemonSetController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "default";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.startWithoutNodes("single-node.yaml", Files.createTempDirectory("kube4j-daemonsets"));
        client = Clients.admin(cluster);
        node("ds-a", Map.of("disk", "ssd"), false);
        node("ds-b", Map.of(), false);
        node("ds-tainted", Map.of("disk", "ssd"), true);
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

    private static void node(String name, Map<String, String> labels, boolean tainted) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .addToLabels(labels).endMetadata().withNewSpec().endSpec().withNewStatus().withAllocatable(allocatable)
                .withCapacity(allocatable).addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        if (tainted) {
            node.editSpec().addNewTaint().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").endTaint().endSpec();
        }
        Node created = client.create(node.build());
        if (created.getStatus() == null || created.getStatus().getAllocatable() == null || created.getStatus().getAllocatable().isEmpty()) {
            created.setStatus(node.build().getStatus());
            client.updateStatus(created);
        }
    }

    private static DaemonSet daemonSet(String name, Map<String, String> nodeSelector) {
        return client.create(new DaemonSetBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", name).endMetadata().withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .addNewContainer().withName("c").withImage("busybox").withCommand("sleep", "3600").endContainer().endSpec()
                .endTemplate().endSpec().build());
    }

    private static List<Pod> pods(String app) {
        return client.list(Pod.class, ListOptions.inNamespace(NS).withLabelSelector("app=" + app)).items().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<String> nodesOf(String app) {
        return pods(app).stream().map(p -> p.getSpec().getNodeName() == null ? "-" : p.getSpec().getNodeName()).sorted().toList();
    }

    private static DaemonSet get(String name) {
        return client.get(DaemonSet.class, NS, name).orElseThrow();
    }

    @Test
    void onePodPerUntaintedNodePlacedByTheSchedulerAndNodesAddedLater() throws Exception {
        daemonSet("agent", Map.of());
        Clients.await("one pod on each untainted node", WAIT, () -> nodesOf("agent").equals(List.of("ds-a", "ds-b")));
        Pod pod = pods("agent").get(0);
        assertThat(pod.getMetadata().getName()).startsWith("agent-");
        assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly(pod.getSpec().getNodeName());
        assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unschedulable"));
        Clients.await("status", WAIT, () -> get("agent").getStatus() != null && get("agent").getStatus().getDesiredNumberScheduled() == 2
                && get("agent").getStatus().getCurrentNumberScheduled() == 2 && get("agent").getStatus().getNumberMisscheduled() == 0
                && Integer.valueOf(2).equals(get("agent").getStatus().getUpdatedNumberScheduled()));

        node("ds-later", Map.of(), false);
        Clients.await("the node added later gets one", WAIT, () -> nodesOf("agent").equals(List.of("ds-a", "ds-b", "ds-later")));
        Node cordoned = client.get(Node.class, "", "ds-later").orElseThrow();
        cordoned.getSpec().setUnschedulable(true);
        client.update(cordoned);
        Thread.sleep(500);
        assertThat(nodesOf("agent")).as("a cordoned node keeps its daemon pod").contains("ds-later");
        Clients.await("desired 3", WAIT, () -> get("agent").getStatus().getDesiredNumberScheduled() == 3);
    }

    @Test
    void nodeSelectorAndLabelChanges() throws Exception {
        daemonSet("ssd", Map.of("disk", "ssd"));
        Clients.await("only on ds-a (ds-tainted is tainted)", WAIT, () -> nodesOf("ssd").equals(List.of("ds-a")));
        Node b = client.get(Node.class, "", "ds-b").orElseThrow();
        b.getMetadata().getLabels().put("disk", "ssd");
        client.update(b);
        Clients.await("ds-b labelled ssd gets one", WAIT, () -> nodesOf("ssd").equals(List.of("ds-a", "ds-b")));
        Node a = client.get(Node.class, "", "ds-a").orElseThrow();
        a.getMetadata().getLabels().remove("disk");
        client.update(a);
        Clients.await("ds-a's pod removed", WAIT, () -> nodesOf("ssd").equals(List.of("ds-b")));
    }

    /** Marks the pods of {@code app} Running and Ready until stopped, as their kubelet would. */
    private static Thread readyLoop(String app, java.util.concurrent.atomic.AtomicBoolean stop) {
        return Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                try {
                    for (Pod pod : pods(app)) {
                        if (pod.getSpec().getNodeName() != null && (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase()))) {
                            client.updateStatus(new io.fabric8.kubernetes.api.model.PodBuilder(pod).editOrNewStatus().withPhase("Running")
                                    .withConditions(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                                            .withStatus("True").build()).endStatus().build());
                        }
                    }
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a pod changed or went meanwhile: the next pass sees it again
                }
            }
        });
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static String hashOf(Pod pod) {
        return pod.getMetadata().getLabels().get("controller-revision-hash");
    }

    private static void setImage(String name, String image) {
        edit(name, ds -> ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image));
    }

    /** Read, change, write; again on a conflict (the controller writes the status meanwhile), at most 10 times. */
    private static void edit(String name, java.util.function.Consumer<DaemonSet> change) {
        for (int attempt = 1; ; attempt++) {
            DaemonSet ds = get(name);
            change.accept(ds);
            try {
                client.update(ds);
                return;
            } catch (io.kube4j.api.client.ApiException e) {
                if (!e.isConflict() || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    @Test
    void eachTemplateIsARevisionAndKubectlRollsBackToThePreviousOne() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread kubelet = readyLoop("undoable", stop);
        try {
            daemonSet("undoable", Map.of());
            Clients.await("rolled out", WAIT, () -> kubectl.run("rollout", "status", "ds/undoable", "--timeout=1s").exitCode() == 0);
            setImage("undoable", "busybox:2");
            Clients.await("busybox:2 everywhere", WAIT, () -> images("undoable").equals(Set.of("busybox:2")));
            Kubectl.Result history = kubectl.run("rollout", "history", "ds/undoable").ok();
            assertThat(history.out().lines().map(String::strip).filter(l -> l.matches("\\d+\\s+.*")).map(l -> l.split("\\s+")[0]).toList())
                    .as("%s", history.out()).containsExactly("1", "2");
            List<io.fabric8.kubernetes.api.model.apps.ControllerRevision> revisions = client.list(
                    io.fabric8.kubernetes.api.model.apps.ControllerRevision.class, ListOptions.inNamespace(NS)
                            .withLabelSelector("app=undoable")).items();
            String currentHash = hashOf(pods("undoable").getFirst());
            assertThat(revisions).extracting(r -> r.getMetadata().getName())
                    .contains("undoable-" + currentHash);

            assertThat(kubectl.run("rollout", "undo", "ds/undoable").ok().out()).contains("rolled back");
            Clients.await("busybox again everywhere", WAIT, () -> images("undoable").equals(Set.of("busybox")));
            assertThat(get("undoable").getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox");
            Clients.await("the first template is revision 3 now", WAIT, () -> kubectl.run("rollout", "history", "ds/undoable")
                    .ok().out().lines().map(String::strip).filter(l -> l.matches("\\d+\\s+.*")).map(l -> l.split("\\s+")[0])
                    .toList().equals(List.of("2", "3")));
        } finally {
            stop.set(true);
            kubelet.join(Duration.ofSeconds(5));
        }
    }

    private static Set<String> images(String app) {
        List<Pod> now = pods(app);
        return now.stream().allMatch(TestDaemonSetController::ready) && now.size() == get(app).getStatus().getDesiredNumberScheduled()
                ? now.stream().map(p -> p.getSpec().getContainers().getFirst().getImage()).collect(java.util.stream.Collectors.toSet())
                : Set.of();
    }

    @Test
    void aRollingUpdateReplacesPodsWithinMaxUnavailableAndOnDeleteWaits() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread kubelet = readyLoop("rolling", stop);
        try {
            daemonSet("rolling", Map.of());
            Clients.await("every daemon pod ready and updated", WAIT, () -> {
                var status = get("rolling").getStatus();
                return status != null && status.getDesiredNumberScheduled() >= 2
                        && Integer.valueOf(status.getDesiredNumberScheduled()).equals(status.getNumberAvailable())
                        && Integer.valueOf(status.getDesiredNumberScheduled()).equals(status.getUpdatedNumberScheduled());
            });
            int desired = get("rolling").getStatus().getDesiredNumberScheduled();
            java.util.Set<String> before = new java.util.HashSet<>(pods("rolling").stream().map(p -> p.getMetadata().getName()).toList());
            String oldHash = hashOf(pods("rolling").getFirst());

            setImage("rolling", "busybox:2");
            // Polled while it rolls: the nodes without a ready pod of either template, never more than maxUnavailable (1).
            int worst = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean done = false;
            while (!done && System.nanoTime() < deadline) {
                List<Pod> now = pods("rolling");
                long readyNodes = now.stream().filter(TestDaemonSetController::ready).map(p -> p.getSpec().getNodeName()).distinct().count();
                worst = Math.max(worst, (int) (desired - readyNodes));
                done = now.size() == desired && now.stream().allMatch(p -> ready(p) && !oldHash.equals(hashOf(p)));
                Thread.sleep(10); // sampling the rollout's state: the condition is the loop's
            }
            assertThat(done).as("every pod replaced by one of the new template").isTrue();
            assertThat(worst).as("nodes without a ready daemon pod at once").isLessThanOrEqualTo(1);
            assertThat(pods("rolling")).noneMatch(p -> before.contains(p.getMetadata().getName()));
            assertThat(pods("rolling").getFirst().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:2");

            edit("rolling", ds -> ds.getSpec().setUpdateStrategy(
                    new io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder().withType("OnDelete").build()));
            setImage("rolling", "busybox:3");
            long generation = get("rolling").getMetadata().getGeneration();
            Clients.await("the change observed", WAIT, () -> get("rolling").getStatus().getObservedGeneration() >= generation);
            Clients.await("no pod updated", WAIT, () -> get("rolling").getStatus().getUpdatedNumberScheduled() == null);
            assertThat(pods("rolling")).hasSize(desired).allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox:2"));
            Pod first = pods("rolling").getFirst();
            client.delete(Pod.class, NS, first.getMetadata().getName(), io.kube4j.api.client.DeleteOptions.gracePeriod(0));
            Clients.await("the deleted pod's node gets a pod of the new template", WAIT, () -> pods("rolling").stream()
                    .anyMatch(p -> first.getSpec().getNodeName().equals(p.getSpec().getNodeName())
                            && p.getSpec().getContainers().getFirst().getImage().equals("busybox:3")));
            assertThat(pods("rolling").stream().filter(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox:2")))
                    .hasSize(desired - 1);
        } finally {
            stop.set(true);
            kubelet.join(Duration.ofSeconds(5));
        }
    }
}
