package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TTL-after-finished controller on the default profile: Jobs really run on node-1, then go with their pods. */
class TestTtlAfterFinishedController {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-ttl"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String job(String name, String ttl) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s}
                spec:
                  %s
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox, command: [sh, -c, "exit 0"]}]
                """.formatted(name, ttl);
    }

    @Test
    void aFinishedJobWithTtlIsDeletedWithItsPodsAndOneWithoutStays() throws Exception {
        kubectl.runWithInput(job("short", "ttlSecondsAfterFinished: 2"), "apply", "-f", "-").ok();
        kubectl.runWithInput(job("kept", "backoffLimit: 1"), "apply", "-f", "-").ok();
        assertThat(kubectl.run("wait", "--for=condition=complete", "job/short", "job/kept", "--timeout=60s").ok().out())
                .contains("job.batch/short condition met").contains("job.batch/kept condition met");
        Clients.await("short deleted", WAIT, () -> kubectl.run("get", "job", "short").err().contains("NotFound"));
        Clients.await("its pod collected", WAIT, () -> kubectl.run("get", "pods", "-l", "job-name=short", "-o", "name")
                .ok().out().isEmpty());
        assertThat(kubectl.run("get", "job", "kept", "-o", "jsonpath={.status.succeeded}").ok().out()).isEqualTo("1");
        assertThat(kubectl.run("get", "pods", "-l", "job-name=kept", "-o", "name").ok().out()).startsWith("pod/kept-");
    }
}
