package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Components in a process of their own ({@code apiserver.connect}): a scheduler, a
 * controller-manager and a kubelet that know two API servers on one etcd keep working, with their
 * watches resumed, when the API server they were using is killed.
 */
class TestConnectedComponents {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final List<Kube4jProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.reversed().forEach(Kube4jProcess::close);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void schedulerControllerManagerAndKubeletFailOverToTheOtherApiServer() throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 1)) {
            Path apiserver = dir.resolve("apiserver.yaml");
            Files.writeString(apiserver, """
                    apiVersion: kube4j.io/v1alpha1
                    kind: ClusterProfile
                    metadata: {name: connected}
                    apiserver:
                      storage: {plugin: etcd, config: {endpoints: [%s], compactEvery: "0"}}
                      authentication: [{plugin: token, config: {file: tokens.csv}}]
                      authorization: [{plugin: always-allow}]
                      admission: [{plugin: NamespaceLifecycle}]
                    """.formatted(String.join(", ", etcd.endpoints())));
            Path data = dir.resolve("data");
            int first = Kube4jProcess.freePort();
            int second = Kube4jProcess.freePort();
            Kube4jProcess firstApiServer = Kube4jProcess.up(apiserver, data, first);
            children.add(firstApiServer);
            children.add(Kube4jProcess.up(apiserver, data, second));

            Path components = dir.resolve("components.yaml");
            Files.writeString(components, """
                    apiVersion: kube4j.io/v1alpha1
                    kind: ClusterProfile
                    metadata: {name: connected}
                    apiserver:
                      connect: [https://127.0.0.1:%d, https://127.0.0.1:%d]
                    scheduler:
                      profiles: [{schedulerName: default-scheduler}]
                    controllerManager:
                      controllers: ["*"]
                    nodes:
                      - {name: node-c}
                    """.formatted(first, second));
            children.add(Kube4jProcess.up(components, data, Kube4jProcess.freePort()));

            try (ApiClient client = Kube4jProcess.adminClient(data, Duration.ofSeconds(10), second)) {
                client.create(deployment());
                Clients.await("1 pod running on node-c", WAIT, () -> running(client) == 1);

                firstApiServer.kill();
                Instant killed = Instant.now();

                Deployment d = client.get(Deployment.class, "default", "sleepers").orElseThrow();
                d.getSpec().setReplicas(2);
                client.update(d);
                // A new ReplicaSet pod, scheduled, started and reported: all three components reached the other API server.
                Clients.await("2 pods running after the kill", WAIT, () -> running(client) == 2);
                Clients.await("node-c's lease renewed after the kill", WAIT, () -> client.get(Lease.class, "kube-node-lease",
                        "node-c").map(l -> l.getSpec().getRenewTime().toInstant().isAfter(killed)).orElse(false));
            }
        }
    }

    private static long running(ApiClient client) {
        return client.list(Pod.class, ListOptions.inNamespace("default")).items().stream()
                .filter(p -> "node-c".equals(p.getSpec().getNodeName()))
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
    }

    private static Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("sleepers").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "sleepers").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "sleepers").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").withCommand("sleep", "3600")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
