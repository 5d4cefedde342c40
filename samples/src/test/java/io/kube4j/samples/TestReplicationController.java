package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicationController controller on the default profile (its pods run on node-1), driven with kubectl. */
class TestReplicationController {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-rc"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String pods() {
        return kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.status.phase};{end}").ok().out();
    }

    private String readyAndReplicas() {
        return kubectl.run("get", "rc", "web", "-o", "jsonpath={.status.readyReplicas}/{.status.replicas}").ok().out();
    }

    @Test
    void aReplicationControllerKeepsItsPodsScalesAndCascades() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: web}
                spec:
                  replicas: 2
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: c, image: busybox, command: [sleep, "3600"]}]}
                """, "apply", "-f", "-").ok();
        Clients.await("2 ready", WAIT, () -> readyAndReplicas().equals("2/2"));
        assertThat(pods()).isEqualTo("ReplicationController/Running;ReplicationController/Running;");
        assertThat(kubectl.run("get", "rc", "web").ok().out()).containsPattern("web\\s+2\\s+2\\s+2");

        kubectl.run("scale", "rc", "web", "--replicas=3").ok();
        Clients.await("3 ready", WAIT, () -> readyAndReplicas().equals("3/3"));

        String victim = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").ok().out();
        kubectl.run("delete", "pod", victim, "--wait=false").ok();
        Clients.await("replaced", WAIT, () -> readyAndReplicas().equals("3/3")
                && !kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().contains(victim + "\n"));

        kubectl.run("delete", "rc", "web").ok();
        Clients.await("its pods collected", WAIT, () -> pods().isEmpty());
    }
}
