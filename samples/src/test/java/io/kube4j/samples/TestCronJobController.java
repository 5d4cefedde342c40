package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CronJob controller on the default profile, driven with kubectl. Scheduled runs are tested with a
 * fake clock in plugins-controllers (TestCronJobController); here a Job made from the CronJob by hand
 * runs on node-1, is tracked in the CronJob's status and goes with it.
 */
class TestCronJobController {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-cronjobs"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kubectlCreateJobFromACronJobRunsItAndTheCronJobTracksIt() throws Exception {
        kubectl.run("create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--",
                "sh", "-c", "sleep 2; echo from-cron").ok();
        assertThat(kubectl.run("get", "cronjob", "nightly").ok().out()).contains("0 3 * * *").contains("False");
        kubectl.run("create", "job", "by-hand", "--from=cronjob/nightly").ok();
        assertThat(kubectl.run("get", "job", "by-hand", "-o", "jsonpath={.metadata.ownerReferences[0].kind}"
                + " {.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}").ok().out()).isEqualTo("CronJob manual");
        Clients.await("active in the CronJob's status", WAIT, () -> kubectl.run("get", "cronjob", "nightly", "-o",
                "jsonpath={.status.active[*].name}").ok().out().equals("by-hand"));
        assertThat(kubectl.run("wait", "--for=condition=complete", "job/by-hand", "--timeout=60s").ok().out())
                .contains("condition met");
        assertThat(kubectl.run("logs", "job/by-hand").ok().out()).contains("from-cron");
        Clients.await("no longer active, last success recorded", WAIT, () -> kubectl.run("get", "cronjob", "nightly", "-o",
                "jsonpath={.status.active[*].name}/{.status.lastSuccessfulTime}").ok().out().matches("/\\d{4}-.+Z"));
        Clients.await("a SawCompletedJob event", WAIT, () -> kubectl.run("get", "events", "--field-selector",
                "involvedObject.name=nightly", "-o", "jsonpath={.items[*].reason}").ok().out().contains("SawCompletedJob"));

        kubectl.run("delete", "cronjob", "nightly").ok();
        Clients.await("its Job collected", WAIT, () -> kubectl.run("get", "job", "by-hand").err().contains("NotFound"));
    }
}
