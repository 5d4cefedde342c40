package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.runtime.assembly.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Deployment controller with the ReplicaSet controller against a real API server. No kubelet
 * runs: a loop here plays one, marking every pod Running and Ready as soon as it appears.
 */
class TestDeploymentController {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String NS = "deploy";
    private static Cluster cluster;
    private static ApiClient client;
    private static volatile boolean stopping;
    private static Thread kubelet;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNamespaceController.startWithControllers("kube4j-deploy");
        client = Clients.admin(cluster);
        client.create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build());
        kubelet = Thread.ofVirtual().name("fake-kubelet").start(TestDeploymentController::markPodsReady);
    }

    @AfterAll
    static void stop() throws Exception {
        stopping = true;
        if (kubelet != null) {
            kubelet.join(Duration.ofSeconds(5));
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void markPodsReady() {
        while (!stopping) {
            try {
                for (Pod pod : client.list(Pod.class, ListOptions.inNamespace(NS)).items()) {
                    // The image "broken" never starts: its pods stay Pending, as with an image that cannot be pulled.
                    boolean broken = pod.getSpec().getContainers().getFirst().getImage().startsWith("broken");
                    if (!broken && pod.getMetadata().getDeletionTimestamp() == null && (pod.getStatus() == null
                            || !"Running".equals(pod.getStatus().getPhase()))) {
                        client.updateStatus(new PodBuilder(pod).editOrNewStatus().withPhase("Running")
                                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                                        .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build())
                                .endStatus().build());
                    }
                }
                Thread.sleep(50);
            } catch (ApiException e) {
                // A pod deleted or changed meanwhile: the next pass sees it again.
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
            }
        }
    }

    static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withNewSpec()
                .withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Deployment get(String name) {
        return client.get(Deployment.class, NS, name).orElseThrow();
    }

    private static boolean rolledOut(String name) {
        Deployment d = get(name);
        var s = d.getStatus();
        return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                && s.getUpdatedReplicas() != null && s.getUpdatedReplicas().equals(d.getSpec().getReplicas())
                && s.getReplicas() != null && s.getReplicas().equals(d.getSpec().getReplicas())
                && s.getAvailableReplicas() != null && s.getAvailableReplicas().equals(d.getSpec().getReplicas());
    }

    private static List<ReplicaSet> replicaSetsOf(String name) {
        return client.list(ReplicaSet.class, ListOptions.inNamespace(NS).withLabelSelector("app=" + name)).items();
    }

    private static void setImage(String name, String image) {
        edit(name, d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage(image));
    }

    /** Read, change, write; again on a conflict (the controller writes the status meanwhile), at most 10 times. */
    private static void edit(String name, java.util.function.Consumer<Deployment> change) {
        for (int attempt = 1; ; attempt++) {
            Deployment d = get(name);
            change.accept(d);
            try {
                client.update(d);
                return;
            } catch (ApiException e) {
                if (!e.isConflict() || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Watches a Deployment's ReplicaSets and keeps their latest spec.replicas, checking a bound on every event. */
    private static final class ReplicaSetWatch implements WatchListener<ReplicaSet>, AutoCloseable {
        final Map<String, Integer> replicas = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        private final String app;
        private final int maxTotal;
        private final WatchHandle handle;

        ReplicaSetWatch(String app, int maxTotal) {
            this.app = app;
            this.maxTotal = maxTotal;
            this.handle = client.watch(ReplicaSet.class, ListOptions.inNamespace(NS).withLabelSelector("app=" + app), this);
        }

        @Override
        public void onEvent(WatchEvent<ReplicaSet> event) {
            if (event.object() == null || event.object().getMetadata() == null) {
                return;
            }
            String name = event.object().getMetadata().getName();
            int r = event.type() == WatchEvent.Type.DELETED ? 0 : event.object().getSpec().getReplicas();
            Integer before = replicas.put(name, r);
            if (before == null || before != r) {
                order.add(name + "=" + r);
            }
            int total = replicas.values().stream().mapToInt(Integer::intValue).sum();
            if (total > maxTotal) {
                violations.add("total " + total + " > " + maxTotal + " after " + name + "=" + r + " " + replicas);
            }
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    @Test
    void rollsOutANewImageWithinMaxSurgeAndMaxUnavailable() throws Exception {
        Deployment d = deployment("web", 3, "nginx:1");
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate().build());
        client.create(d);
        Clients.await("web rolled out", WAIT, () -> rolledOut("web"));
        ReplicaSet first = replicaSetsOf("web").getFirst();
        assertThat(first.getMetadata().getName()).startsWith("web-");
        assertThat(first.getMetadata().getLabels()).containsKey("pod-template-hash");
        assertThat(first.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(get("web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(get("web").getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Available");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        try (ReplicaSetWatch watch = new ReplicaSetWatch("web", 4)) {
            Thread.sleep(300);
            setImage("web", "nginx:2");
            Clients.await("web rolled out again", WAIT, () -> rolledOut("web") && replicaSetsOf("web").size() == 2
                    && get("web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision").equals("2"));
            assertThat(watch.violations).as("maxSurge 1: never more than 4 replicas in all").isEmpty();
            assertThat(watch.order).as("steps").isNotEmpty();
        }
        ReplicaSet old = client.get(ReplicaSet.class, NS, first.getMetadata().getName()).orElseThrow();
        assertThat(old.getSpec().getReplicas()).isZero();
        assertThat(get("web").getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Progressing");
            assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
        });
        if (Kubectl.available()) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            assertThat(kubectl.run("rollout", "status", "deployment/web", "-n", NS, "--timeout=30s").ok().out())
                    .contains("successfully rolled out");
            kubectl.run("scale", "deployment/web", "-n", NS, "--replicas=5").ok();
            Clients.await("scaled to 5", WAIT, () -> rolledOut("web") && get("web").getStatus().getReplicas() == 5);
            kubectl.run("scale", "deployment/web", "-n", NS, "--replicas=2").ok();
            Clients.await("scaled to 2", WAIT, () -> rolledOut("web") && get("web").getStatus().getReplicas() == 2);
            kubectl.run("rollout", "undo", "deployment/web", "-n", NS).ok();
            Clients.await("back on nginx:1, revision 3", WAIT, () -> rolledOut("web")
                    && get("web").getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("nginx:1")
                    && get("web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision").equals("3"));
            assertThat(replicaSetsOf("web")).as("the old ReplicaSet is reused").hasSize(2);
        }
    }

    @Test
    void recreateStopsEveryOldPodBeforeStartingNewOnes() throws Exception {
        Deployment d = deployment("batch", 2, "busybox:1");
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("Recreate").build());
        client.create(d);
        Clients.await("batch rolled out", WAIT, () -> rolledOut("batch"));
        String oldName = replicaSetsOf("batch").getFirst().getMetadata().getName();
        try (ReplicaSetWatch watch = new ReplicaSetWatch("batch", 2)) {
            Thread.sleep(300);
            setImage("batch", "busybox:2");
            Clients.await("batch rolled out again", WAIT, () -> rolledOut("batch") && replicaSetsOf("batch").size() == 2);
            assertThat(watch.violations).as("never old and new pods at once").isEmpty();
            assertThat(watch.order.indexOf(oldName + "=0")).isNotNegative();
        }
    }

    @Test
    void scalingInTheMiddleOfARolloutSharesTheNewReplicasInProportion() throws Exception {
        // kube's documented example: 10 replicas, maxSurge 3, maxUnavailable 2, a rollout to an image that never starts.
        Deployment d = deployment("midway", 10, "busybox:1");
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(3)).withMaxUnavailable(new IntOrString(2))
                .endRollingUpdate().build());
        client.create(d);
        Clients.await("midway rolled out", WAIT, () -> rolledOut("midway"));
        setImage("midway", "broken:1");
        Clients.await("the rollout stuck at 8 old and 5 new", WAIT, () -> sizes("midway").equals(List.of(8, 5)));
        edit("midway", current -> current.getSpec().setReplicas(15));
        // 18 allowed (15 + 3): the 5 more go 3 to the old ReplicaSet (8 of 13) and 2 to the new one (5 of 13).
        Clients.await("11 old and 7 new", WAIT, () -> sizes("midway").equals(List.of(11, 7)));
        for (ReplicaSet rs : replicaSetsOf("midway")) {
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/desired-replicas", "15")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "18");
        }
    }

    /** The spec.replicas of the old (busybox) and the new ReplicaSet, in that order. */
    private static List<Integer> sizes(String name) {
        List<ReplicaSet> all = replicaSetsOf(name);
        int old = all.stream().filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                .startsWith("busybox")).mapToInt(rs -> rs.getSpec().getReplicas()).sum();
        int fresh = all.stream().filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                .startsWith("broken")).mapToInt(rs -> rs.getSpec().getReplicas()).sum();
        return List.of(old, fresh);
    }

    @Test
    void aRolloutThatMakesNoProgressExceedsItsDeadline() throws Exception {
        // Pods of this namespace are never made ready (the fake kubelet keeps to NS): no progress after the first.
        String ns = "stuck";
        client.create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
        Deployment d = deployment("stuck", 1, "busybox:1");
        d.getMetadata().setNamespace(ns);
        d.getSpec().setProgressDeadlineSeconds(2);
        client.create(d);
        Clients.await("Progressing False with ProgressDeadlineExceeded", WAIT, () -> client.get(Deployment.class, ns, "stuck")
                .map(x -> x.getStatus() == null || x.getStatus().getConditions() == null ? false : x.getStatus().getConditions()
                        .stream().anyMatch(c -> c.getType().equals("Progressing") && c.getStatus().equals("False")
                                && c.getReason().equals("ProgressDeadlineExceeded")))
                .orElse(false));
        Kubectl kubectl = new Kubectl(cluster.kubeconfig());
        Kubectl.Result status = kubectl.run("rollout", "status", "deployment/stuck", "-n", ns, "--timeout=20s");
        assertThat(status.exitCode()).isNotZero();
        assertThat(status.err()).contains("exceeded its progress deadline");
        Clients.await("a ProgressDeadlineExceeded event", WAIT, () -> kubectl.run("get", "events", "-n", ns,
                "--field-selector", "reason=ProgressDeadlineExceeded").ok().out()
                .contains("Deployment stuck has timed out progressing."));
    }
}
