package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Job controller on the default profile: its pods really run as processes on node-1; driven with kubectl too. */
class TestJobController {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "default";
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-jobs"));
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
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

    private static Job job(String name, String script, int completions, int parallelism, int backoffLimit, Long deadline) {
        return client.create(new JobBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withNewSpec()
                .withCompletions(completions).withParallelism(parallelism).withBackoffLimit(backoffLimit)
                .withActiveDeadlineSeconds(deadline).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox").withCommand("sh", "-c", script).endContainer()
                .endSpec().endTemplate().endSpec().build());
    }

    private static Job get(String name) {
        return client.get(Job.class, NS, name).orElseThrow();
    }

    private static Optional<JobCondition> condition(String name, String type) {
        Job job = get(name);
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static List<Pod> pods(String job) {
        return client.list(Pod.class, ListOptions.inNamespace(NS).withLabelSelector("job-name=" + job)).items();
    }

    @Test
    void kubectlCreateJobCompletesAndWaitReturns() throws Exception {
        kubectl.run("create", "job", "ok", "--image=busybox", "--", "sh", "-c", "echo done; exit 0").ok();
        assertThat(kubectl.run("wait", "--for=condition=complete", "job/ok", "--timeout=60s").ok().out())
                .contains("job.batch/ok condition met");
        Job job = get("ok");
        assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(job.getStatus().getFailed()).isNull();
        assertThat(job.getStatus().getActive()).isNull();
        assertThat(job.getStatus().getStartTime()).isNotNull();
        assertThat(job.getStatus().getCompletionTime()).isNotNull();
        Pod pod = pods("ok").get(0);
        assertThat(pod.getMetadata().getName()).startsWith("ok-");
        assertThat(pod.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "ok")
                .containsEntry("controller-uid", job.getMetadata().getUid())
                .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        Clients.await("tracking finalizer removed", WAIT, () -> pods("ok").get(0).getMetadata().getFinalizers() == null
                || !pods("ok").get(0).getMetadata().getFinalizers().contains("batch.kubernetes.io/job-tracking"));
        assertThat(kubectl.run("logs", "job/ok").ok().out()).contains("done");
        assertThat(kubectl.run("get", "job", "ok").ok().out()).contains("Complete").contains("1/1");

        kubectl.run("delete", "job", "ok").ok();
        Clients.await("its pod collected", WAIT, () -> pods("ok").isEmpty());
    }

    @Test
    void aFailingJobFailsAfterItsBackoffLimit() throws Exception {
        job("fails", "exit 1", 1, 1, 1, null);
        Clients.await("Failed", WAIT, () -> condition("fails", "Failed").isPresent());
        assertThat(condition("fails", "Failed").orElseThrow().getReason()).isEqualTo("BackoffLimitExceeded");
        Job job = get("fails");
        assertThat(job.getStatus().getFailed()).as("backoffLimit 1: two pods failed").isEqualTo(2);
        assertThat(job.getStatus().getSucceeded()).isNull();
        assertThat(pods("fails")).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
        assertThat(kubectl.run("wait", "--for=condition=failed", "job/fails", "--timeout=10s").ok().out()).contains("condition met");
    }

    @Test
    void anIndexedJobRunsEachIndexOnceAndRetriesAFailedOne() throws Exception {
        java.nio.file.Path marks = Files.createTempDirectory("kube4j-indexed");
        // Index 1 fails the first time; every pod prints the index it was given.
        kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: indexed}
                spec:
                  completionMode: Indexed
                  completions: 4
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: c
                        image: busybox
                        command: ["sh", "-c", "if [ $JOB_COMPLETION_INDEX = 1 ] && [ ! -f %s/once ]; then touch %s/once; exit 1; fi; echo index=$JOB_COMPLETION_INDEX"]
                """.formatted(marks, marks), "apply", "-f", "-").ok();
        assertThat(kubectl.run("wait", "--for=condition=complete", "job/indexed", "--timeout=60s").ok().out())
                .contains("condition met");
        Job job = get("indexed");
        assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0-3");
        assertThat(job.getStatus().getSucceeded()).isEqualTo(4);
        assertThat(job.getStatus().getFailed()).isEqualTo(1);
        List<Pod> pods = pods("indexed");
        assertThat(pods).hasSize(5);
        for (Pod pod : pods) {
            String index = pod.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
            assertThat(pod.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-completion-index", index);
            assertThat(pod.getMetadata().getName()).startsWith("indexed-" + index + "-");
            assertThat(pod.getSpec().getHostname()).isEqualTo("indexed-" + index);
            if (pod.getStatus().getPhase().equals("Succeeded")) {
                assertThat(kubectl.run("logs", pod.getMetadata().getName()).ok().out()).contains("index=" + index);
            } else {
                assertThat(index).as("the one failed pod").isEqualTo("1");
            }
        }
        assertThat(pods.stream().filter(p -> p.getStatus().getPhase().equals("Succeeded")).map(p -> p.getMetadata()
                .getAnnotations().get("batch.kubernetes.io/job-completion-index")).sorted().toList())
                .containsExactly("0", "1", "2", "3");
        assertThat(kubectl.run("get", "job", "indexed", "-o", "jsonpath={.status.completedIndexes}").ok().out()).isEqualTo("0-3");
    }

    @Test
    void backoffLimitPerIndexFailsAnIndexNotTheJobUntilEveryIndexIsDone() throws Exception {
        // Index 0 always fails (twice: backoffLimitPerIndex 1), index 1 exits 42, which FailIndex fails at once;
        // indexes 2 and 3 succeed. The Job runs them all, then fails with FailedIndexes.
        kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: per-index}
                spec:
                  completionMode: Indexed
                  completions: 4
                  parallelism: 2
                  backoffLimitPerIndex: 1
                  podFailurePolicy:
                    rules:
                    - action: FailIndex
                      onExitCodes: {operator: In, values: [42]}
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: c
                        image: busybox
                        command: ["sh", "-c", "case $JOB_COMPLETION_INDEX in 0) exit 1;; 1) exit 42;; *) echo ok;; esac"]
                """, "apply", "-f", "-").ok();
        assertThat(kubectl.run("wait", "--for=condition=failed", "job/per-index", "--timeout=90s").ok().out())
                .contains("condition met");
        Job job = get("per-index");
        assertThat(condition("per-index", "Failed").orElseThrow().getReason()).isEqualTo("FailedIndexes");
        assertThat(job.getStatus().getFailedIndexes()).isEqualTo("0-1");
        assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("2-3");
        assertThat(job.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(job.getStatus().getFailed()).isEqualTo(3);
        List<Pod> pods = pods("per-index");
        java.util.function.Function<Pod, String> indexOf = p -> p.getMetadata().getAnnotations()
                .get("batch.kubernetes.io/job-completion-index");
        assertThat(pods.stream().filter(p -> indexOf.apply(p).equals("0"))
                .map(p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-index-failure-count")).sorted().toList())
                .as("index 0 ran twice, each pod told how often its index had failed").containsExactly("0", "1");
        assertThat(pods.stream().filter(p -> indexOf.apply(p).equals("1")).toList()).as("FailIndex: no retry").hasSize(1);
        assertThat(kubectl.run("get", "job", "per-index", "-o", "jsonpath={.status.failedIndexes}").ok().out()).isEqualTo("0-1");
    }

    @Test
    void moreFailedIndexesThanMaxFailedIndexesFailTheJobAtOnce() throws Exception {
        kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: max-failed}
                spec:
                  completionMode: Indexed
                  completions: 3
                  parallelism: 1
                  backoffLimitPerIndex: 0
                  maxFailedIndexes: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: c
                        image: busybox
                        command: ["sh", "-c", "exit 1"]
                """, "apply", "-f", "-").ok();
        assertThat(kubectl.run("wait", "--for=condition=failed", "job/max-failed", "--timeout=60s").ok().out())
                .contains("condition met");
        assertThat(condition("max-failed", "Failed").orElseThrow().getReason()).isEqualTo("MaxFailedIndexesExceeded");
        assertThat(get("max-failed").getStatus().getFailedIndexes()).isEqualTo("0");
        assertThat(pods("max-failed")).as("the other indexes never ran").hasSize(1);
    }

    @Test
    void podFailurePolicyIgnoresOneExitCodeAndFailsTheJobOnAnother() throws Exception {
        java.nio.file.Path marks = Files.createTempDirectory("kube4j-policy");
        // backoffLimit 0: without the Ignore rule, the first pod's failure would fail the Job (BackoffLimitExceeded).
        kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: policy}
                spec:
                  backoffLimit: 0
                  podFailurePolicy:
                    rules:
                    - action: Ignore
                      onExitCodes: {operator: In, values: [42]}
                    - action: FailJob
                      onExitCodes: {containerName: c, operator: In, values: [3]}
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: c
                        image: busybox
                        command: ["sh", "-c", "if [ ! -f %s/once ]; then touch %s/once; exit 42; fi; exit 3"]
                """.formatted(marks, marks), "apply", "-f", "-").ok();
        assertThat(kubectl.run("wait", "--for=condition=failed", "job/policy", "--timeout=60s").ok().out())
                .contains("condition met");
        JobCondition failed = condition("policy", "Failed").orElseThrow();
        assertThat(failed.getReason()).isEqualTo("PodFailurePolicy");
        List<Pod> pods = pods("policy");
        assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
        Pod second = pods.stream().filter(p -> p.getStatus().getContainerStatuses().getFirst().getState().getTerminated()
                .getExitCode() == 3).findFirst().orElseThrow();
        assertThat(failed.getMessage()).isEqualTo("Container c for pod default/" + second.getMetadata().getName()
                + " failed with exit code 3 matching FailJob rule at index 1");
        assertThat(get("policy").getStatus().getFailed()).as("the ignored failure is not counted").isEqualTo(1);
    }

    @Test
    void completionsWithParallelism() throws Exception {
        job("three", "sleep 1; exit 0", 3, 2, 6, null);
        Clients.await("Complete", WAIT, () -> condition("three", "Complete").isPresent());
        assertThat(get("three").getStatus().getSucceeded()).isEqualTo(3);
        assertThat(pods("three")).hasSize(3);
    }

    @Test
    void activeDeadlineFailsTheJobAndStopsItsPods() throws Exception {
        job("slow", "sleep 60", 1, 1, 6, 2L);
        Clients.await("a pod running", WAIT, () -> pods("slow").stream().anyMatch(p -> p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase())));
        Clients.await("Failed", WAIT, () -> condition("slow", "Failed").isPresent());
        assertThat(condition("slow", "Failed").orElseThrow().getReason()).isEqualTo("DeadlineExceeded");
        Clients.await("its pod stopped", WAIT, () -> pods("slow").stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null
                || !"Running".equals(p.getStatus().getPhase())));
        assertThat(get("slow").getStatus().getActive()).isNull();
    }
}
