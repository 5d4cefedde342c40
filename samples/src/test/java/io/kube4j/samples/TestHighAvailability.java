package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.storage.etcd.EtcdCluster;
import io.kube4j.storage.etcd.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HA sample's shape, started as real processes: a three-member etcd and two control planes
 * (API server, leader-elected scheduler and controller-manager). Killing the control plane that
 * leads with SIGKILL moves both leases to the other within the lease duration plus the renew
 * deadline, and a Deployment scaled afterwards converges with every pod bound once.
 */
class TestHighAvailability {
    /** kube-scheduler's and kube-controller-manager's lease duration plus renew deadline, and slack for 2 cores. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15 + 10 + 15);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Kube4jProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Kube4jProcess::close);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theStandbyControlPlaneTakesOverAndADeploymentStillConverges() throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
            Path profile = dir.resolve("control-plane.yaml");
            Files.writeString(profile, """
                    apiVersion: kube4j.io/v1alpha1
                    kind: ClusterProfile
                    metadata: {name: ha}
                    apiserver:
                      storage: {plugin: etcd, config: {endpoints: [%s], compactEvery: "0"}}
                      authentication: [{plugin: token, config: {file: tokens.csv}}]
                      authorization: [{plugin: always-allow}]
                      admission: [{plugin: NamespaceLifecycle}]
                    scheduler:
                      leaderElection: {leaderElect: true}
                      profiles: [{schedulerName: default-scheduler}]
                    controllerManager:
                      leaderElection: {leaderElect: true}
                      controllers: ["*"]
                    """.formatted(String.join(", ", etcd.endpoints())));
            Path data = dir.resolve("data");
            int port1 = Kube4jProcess.freePort();
            int port2 = Kube4jProcess.freePort();
            Kube4jProcess first = Kube4jProcess.up(profile, data, port1);
            children.add(first);
            try (ApiClient client = Kube4jProcess.adminClient(data, Duration.ofSeconds(10), port1, port2)) {
                // The first control plane leads both before the second starts.
                Clients.await("the first control plane leads", WAIT,
                        () -> holder(client, "kube-scheduler").isPresent() && holder(client, "kube-controller-manager").isPresent());
                String scheduler = holder(client, "kube-scheduler").orElseThrow();
                String controllerManager = holder(client, "kube-controller-manager").orElseThrow();
                children.add(Kube4jProcess.up(profile, data, port2));

                Map<String, Quantity> capacity = Map.of("cpu", new Quantity("8"), "memory", new Quantity("16Gi"),
                        "pods", new Quantity("110"));
                client.create(new NodeBuilder().withNewMetadata().withName("worker").endMetadata().withNewSpec().endSpec()
                        .withNewStatus().withAllocatable(capacity).withCapacity(capacity)
                        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
                client.create(deployment(2));
                Clients.await("2 pods bound", WAIT, () -> boundPods(client) == 2);

                // A writer creates and updates objects all the time through both API servers, recording what was acknowledged.
                Writer writer = new Writer(client);
                Thread writing = Thread.ofVirtual().start(writer);
                Clients.await("writes acknowledged before the kill", WAIT, () -> writer.acknowledged.size() >= 10);
                first.kill();
                Clients.await("both leases taken over", TAKEOVER,
                        () -> holder(client, "kube-scheduler").filter(h -> !h.equals(scheduler)).isPresent()
                                && holder(client, "kube-controller-manager").filter(h -> !h.equals(controllerManager)).isPresent());

                Deployment d = client.get(Deployment.class, "default", "web").orElseThrow();
                d.getSpec().setReplicas(5);
                client.update(d);
                Clients.await("5 pods bound after the takeover", WAIT, () -> boundPods(client) == 5);

                int before = writer.acknowledged.size();
                Clients.await("writes acknowledged after the takeover", WAIT, () -> writer.acknowledged.size() >= before + 10);
                writer.stop = true;
                writing.join(Duration.ofSeconds(30));
                for (Map.Entry<String, Long> ack : writer.acknowledged.entrySet()) {
                    io.fabric8.kubernetes.api.model.ConfigMap cm = client.get(io.fabric8.kubernetes.api.model.ConfigMap.class,
                            "default", ack.getKey()).orElseThrow(() -> new AssertionError("lost: " + ack.getKey()));
                    assertThat(Long.parseLong(cm.getMetadata().getResourceVersion())).as(ack.getKey())
                            .isGreaterThanOrEqualTo(ack.getValue());
                }

                Map<String, Long> scheduledEvents = client.list(Event.class, ListOptions.inNamespace("default")).items()
                        .stream().filter(e -> "Scheduled".equals(e.getReason()))
                        .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getName(), Collectors.counting()));
                assertThat(scheduledEvents).as("each pod bound once").hasSize(5).allSatisfy((pod, n) -> assertThat(n).isOne());
            }
        }
    }

    /** Creates ConfigMaps and updates each once, recording each one's last acknowledged resourceVersion. */
    private static final class Writer implements Runnable {
        final Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean stop;
        private final ApiClient client;

        Writer(ApiClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (int i = 0; !stop && System.nanoTime() < deadline; i++) {
                try {
                    io.fabric8.kubernetes.api.model.ConfigMap cm = client.create(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                            .withNewMetadata().withName("w-" + i).withNamespace("default").endMetadata()
                            .addToData("v", "1").build());
                    acknowledged.put("w-" + i, Long.parseLong(cm.getMetadata().getResourceVersion()));
                    cm.getData().put("v", "2");
                    io.fabric8.kubernetes.api.model.ConfigMap updated = client.update(cm);
                    acknowledged.put("w-" + i, Long.parseLong(updated.getMetadata().getResourceVersion()));
                } catch (RuntimeException e) {
                    // the API server under this request died: its outcome is unknown, not acknowledged
                }
            }
        }
    }

    private static Optional<String> holder(ApiClient client, String lease) {
        try {
            return client.get(Lease.class, "kube-system", lease).map(l -> l.getSpec().getHolderIdentity())
                    .filter(h -> h != null && !h.isEmpty());
        } catch (RuntimeException e) {
            return Optional.empty(); // the API server the client asked is the one just killed: ask again
        }
    }

    private static long boundPods(ApiClient client) {
        try {
            return client.list(Pod.class, ListOptions.inNamespace("default")).items().stream()
                    .map(p -> p.getSpec().getNodeName()).filter(n -> n != null && !n.isEmpty())
                    .count();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Deployment deployment(int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").withCommand("sleep", "3600")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
