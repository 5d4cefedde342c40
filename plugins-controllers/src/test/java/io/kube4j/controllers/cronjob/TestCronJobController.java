package io.kube4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.controllers.testing.FakeCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The CronJob controller's reconcile with a fake clock: minutes pass without waiting for them. */
class TestCronJobController {
    private static final String NS = "default";
    private static final Request KEY = new Request(NS, "cron");
    private final FakeCluster cluster = new FakeCluster();
    private final CronJobController controller = new CronJobController(cluster);

    /** Created at 2026-01-01T00:00:00Z, the fake clock's start. */
    private CronJob cronJob(String schedule, UnaryOperator<CronJobBuilder> edit) {
        CronJobBuilder b = new CronJobBuilder().withNewMetadata().withNamespace(NS).withName("cron").endMetadata().withNewSpec()
                .withSchedule(schedule).withNewJobTemplate().withNewMetadata().addToLabels("team", "a").endMetadata().withNewSpec()
                .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec();
        return cluster.client().create(edit.apply(b).build());
    }

    private void at(String time) {
        cluster.fakeClock().set(Instant.parse(time));
    }

    private CronJob get() {
        return cluster.get(CronJob.class, NS, "cron");
    }

    private List<String> jobs() {
        return cluster.all(Job.class, NS).stream().map(j -> j.getMetadata().getName()).sorted().toList();
    }

    private List<String> active() {
        List<ObjectReference> active = get().getStatus() == null ? null : get().getStatus().getActive();
        return active == null ? List.of() : active.stream().map(ObjectReference::getName).toList();
    }

    private static String name(String time) {
        return "cron-" + Instant.parse(time).getEpochSecond() / 60;
    }

    private void finish(String job, String condition, String time) {
        Job j = cluster.get(Job.class, NS, job);
        JobBuilder b = new JobBuilder(j).withNewStatus().withStartTime(j.getMetadata().getCreationTimestamp()).addNewCondition()
                .withType(condition).withStatus("True").withLastTransitionTime(time).endCondition().endStatus();
        if (condition.equals("Complete")) {
            b.editStatus().withCompletionTime(time).endStatus();
        }
        cluster.client().updateStatus(b.build());
    }

    @Test
    void aScheduleTimeGetsOneJobNamedByItsMinuteAndTheKeyWaitsForTheNextTime() {
        cronJob("*/5 * * * *", b -> b);
        at("2026-01-01T00:01:00Z");
        assertThat(controller.reconcile(KEY)).isEqualTo(Result.requeueAfter(Duration.ofMinutes(4).plusMillis(100)));
        assertThat(jobs()).isEmpty();

        at("2026-01-01T00:05:00.100Z");
        assertThat(controller.reconcile(KEY)).isEqualTo(Result.requeueAfter(Duration.ofMinutes(5)));
        String name = name("2026-01-01T00:05:00Z");
        assertThat(jobs()).containsExactly(name);
        Job job = cluster.get(Job.class, NS, name);
        assertThat(name).isEqualTo("cron-29453765");
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobController.SCHEDULED_TIMESTAMP, "2026-01-01T00:05:00Z");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("CronJob");
            assertThat(r.getApiVersion()).isEqualTo("batch/v1");
            assertThat(r.getController()).isTrue();
            assertThat(r.getUid()).isEqualTo(get().getMetadata().getUid());
        });
        assertThat(job.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("busybox"));
        assertThat(get().getStatus().getLastScheduleTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(active()).containsExactly(name);
        assertThat(cluster.events()).contains("SuccessfulCreate Created job " + name);

        controller.reconcile(KEY);
        assertThat(jobs()).as("the same time never runs twice").hasSize(1);

        finish(name, "Complete", "2026-01-01T00:06:00Z");
        controller.reconcile(KEY);
        assertThat(active()).isEmpty();
        assertThat(get().getStatus().getLastSuccessfulTime()).isEqualTo("2026-01-01T00:06:00Z");
        assertThat(cluster.events()).contains("SawCompletedJob Saw completed job: " + name + ", condition: Complete");
    }

    @Test
    void allowRunsJobsSideBySide() {
        cronJob("* * * * *", b -> b);
        at("2026-01-01T00:01:00Z");
        controller.reconcile(KEY);
        at("2026-01-01T00:02:00Z");
        controller.reconcile(KEY);
        assertThat(active()).containsExactly(name("2026-01-01T00:01:00Z"), name("2026-01-01T00:02:00Z"));
    }

    @Test
    void forbidSkipsWhileAJobRunsAndRunsTheTimeOnceItFinished() {
        cronJob("* * * * *", b -> b.editSpec().withConcurrencyPolicy("Forbid").endSpec());
        at("2026-01-01T00:01:00Z");
        controller.reconcile(KEY);
        at("2026-01-01T00:02:00Z");
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-01T00:01:00Z"));
        assertThat(cluster.events()).contains("JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid");
        assertThat(get().getStatus().getLastScheduleTime()).isEqualTo("2026-01-01T00:01:00Z");

        at("2026-01-01T00:02:30Z");
        finish(name("2026-01-01T00:01:00Z"), "Complete", "2026-01-01T00:02:30Z");
        controller.reconcile(KEY);
        assertThat(active()).containsExactly(name("2026-01-01T00:02:00Z"));
    }

    @Test
    void replaceDeletesTheActiveJobInTheBackgroundFirst() {
        cronJob("* * * * *", b -> b.editSpec().withConcurrencyPolicy("Replace").endSpec());
        at("2026-01-01T00:01:00Z");
        controller.reconcile(KEY);
        at("2026-01-01T00:02:00Z");
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-01T00:02:00Z"));
        assertThat(active()).containsExactly(name("2026-01-01T00:02:00Z"));
        assertThat(cluster.deletions()).containsExactly(new FakeCluster.Deletion("Job", NS, name("2026-01-01T00:01:00Z"), "Background"));
    }

    @Test
    void suspendedCreatesNothing() {
        cronJob("* * * * *", b -> b.editSpec().withSuspend(true).endSpec());
        at("2026-01-01T00:10:00Z");
        assertThat(controller.reconcile(KEY)).isEqualTo(Result.done());
        assertThat(jobs()).isEmpty();
        CronJob resumed = get();
        resumed.getSpec().setSuspend(false);
        cluster.client().update(resumed);
        controller.reconcile(KEY);
        assertThat(jobs()).as("only the most recent missed time runs").containsExactly(name("2026-01-01T00:10:00Z"));
    }

    @Test
    void startingDeadlineSecondsLetsALateTimeGo() {
        cronJob("0 * * * *", b -> b.editSpec().withStartingDeadlineSeconds(60L).endSpec());
        at("2026-01-01T01:02:00Z");
        controller.reconcile(KEY);
        assertThat(jobs()).as("01:00 is more than 60 s ago").isEmpty();
        assertThat(get().getStatus() == null ? null : get().getStatus().getLastScheduleTime()).isNull();
        at("2026-01-01T02:00:59Z");
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-01T02:00:00Z"));
    }

    @Test
    void moreThanAHundredMissedTimesIsAWarningAndTheMostRecentRuns() {
        cronJob("* * * * *", b -> b);
        at("2026-01-03T00:00:30Z");
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-03T00:00:00Z"));
        assertThat(cluster.events()).anyMatch(e -> e.startsWith("TooManyMissedTimes too many missed start times: 101."));

        CronJob withDeadline = get();
        withDeadline.getSpec().setStartingDeadlineSeconds(200L);
        cluster.client().update(withDeadline);
        at("2026-01-04T00:00:30Z");
        controller.reconcile(KEY);
        assertThat(cluster.events()).filteredOn(e -> e.startsWith("TooManyMissedTimes")).as("the deadline bounds the count").hasSize(1);
    }

    @Test
    void timeZoneAndBadInput() {
        cronJob("0 9 * * *", b -> b.editSpec().withTimeZone("Asia/Tokyo").endSpec());
        at("2026-01-02T00:00:00Z");
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-02T00:00:00Z"));
        assertThat(cluster.get(Job.class, NS, name("2026-01-02T00:00:00Z")).getMetadata().getAnnotations())
                .containsEntry(CronJobController.SCHEDULED_TIMESTAMP, "2026-01-02T09:00:00+09:00");

        CronJob bad = get();
        bad.getSpec().setTimeZone("Mars/Olympus");
        cluster.client().update(bad);
        at("2026-01-03T00:00:00Z");
        assertThat(controller.reconcile(KEY)).isEqualTo(Result.done());
        assertThat(cluster.events()).anyMatch(e -> e.startsWith("UnknownTimeZone"));
        bad = get();
        bad.getSpec().setTimeZone(null);
        bad.getSpec().setSchedule("61 * * * *");
        cluster.client().update(bad);
        assertThat(controller.reconcile(KEY)).isEqualTo(Result.done());
        assertThat(cluster.events()).anyMatch(e -> e.startsWith("UnparseableSchedule"));
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void historyLimitsDeleteTheOldestFinishedJobs() {
        cronJob("* * * * *", b -> b.editSpec().withSuccessfulJobsHistoryLimit(2).endSpec());
        for (int minute = 1; minute <= 6; minute++) {
            String time = "2026-01-01T00:0" + minute + ":00Z";
            at(time);
            controller.reconcile(KEY);
            finish(name(time), minute <= 4 ? "Complete" : "Failed", time);
        }
        controller.reconcile(KEY);
        assertThat(jobs()).containsExactly(name("2026-01-01T00:03:00Z"), name("2026-01-01T00:04:00Z"),
                name("2026-01-01T00:06:00Z"));
        assertThat(cluster.deletions()).allSatisfy(d -> assertThat(d.propagationPolicy()).isEqualTo("Background"));
        assertThat(active()).isEmpty();
    }

    @Test
    void aJobMadeFromTheCronJobByHandIsActive() {
        CronJob cronJob = cronJob("0 0 1 1 *", b -> b);
        cluster.client().create(new JobBuilder().withNewMetadata().withNamespace(NS).withName("manual")
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "manual").addNewOwnerReference().withApiVersion("batch/v1")
                .withKind("CronJob").withName("cron").withUid(cronJob.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().endSpec().build());
        at("2026-01-01T00:30:00Z");
        controller.reconcile(KEY);
        assertThat(active()).containsExactly("manual");
        assertThat(get().getStatus().getLastScheduleTime()).isNull();
    }
}
