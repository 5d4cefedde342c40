package io.kube4j.controllers.ttlafterfinished;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.controllers.testing.FakeCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTtlAfterFinishedController {
    private static final String NS = "default";
    private final FakeCluster cluster = new FakeCluster();
    private final TtlAfterFinishedController controller = new TtlAfterFinishedController(cluster);

    private Job job(String name, Integer ttl, String condition, Instant finished) {
        Job job = cluster.client().create(new JobBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withTtlSecondsAfterFinished(ttl).endSpec().build());
        if (condition != null) {
            job = cluster.client().updateStatus(new JobBuilder(job).withNewStatus().addNewCondition().withType(condition)
                    .withStatus("True").withLastTransitionTime(finished.toString()).endCondition().endStatus().build());
        }
        return job;
    }

    @Test
    void aFinishedJobIsDeletedInTheForegroundWhenItsTtlHasPassed() {
        Instant finished = cluster.fakeClock().instant();
        Job job = job("done", 10, "Complete", finished);
        cluster.fakeClock().advance(Duration.ofSeconds(4));
        assertThat(controller.reconcile(new Request(NS, "done"))).isEqualTo(Result.requeueAfter(Duration.ofSeconds(6)));
        assertThat(cluster.deletions()).isEmpty();

        cluster.fakeClock().advance(Duration.ofSeconds(6));
        assertThat(controller.reconcile(new Request(NS, "done"))).isEqualTo(Result.done());
        assertThat(cluster.deletions()).containsExactly(new FakeCluster.Deletion("Job", NS, "done", "Foreground"));
        assertThat(cluster.all(Job.class, NS)).isEmpty();
        assertThat(job.getMetadata().getUid()).isNotBlank();
    }

    @Test
    void aFailedJobWithTtlZeroGoesAtOnce() {
        job("failed", 0, "Failed", cluster.fakeClock().instant());
        controller.reconcile(new Request(NS, "failed"));
        assertThat(cluster.all(Job.class, NS)).isEmpty();
    }

    @Test
    void jobsWithoutTtlOrNotFinishedStay() {
        job("no-ttl", null, "Complete", cluster.fakeClock().instant().minusSeconds(3600));
        job("running", 1, null, null);
        job("suspended", 1, "Suspended", cluster.fakeClock().instant().minusSeconds(3600));
        job("not-complete", 1, null, null);
        for (String name : new String[] {"no-ttl", "running", "suspended", "not-complete", "missing"}) {
            assertThat(controller.reconcile(new Request(NS, name))).isEqualTo(Result.done());
        }
        assertThat(cluster.deletions()).isEmpty();
        assertThat(cluster.all(Job.class, NS)).hasSize(4);
    }

    @Test
    void aJobBeingDeletedIsLeftAlone() {
        Job job = job("going", 1, "Complete", cluster.fakeClock().instant().minusSeconds(60));
        job.getMetadata().setFinalizers(List.of("example.com/hold"));
        cluster.client().update(job);
        cluster.client().delete(Job.class, NS, "going", DeleteOptions.DEFAULT);
        controller.reconcile(new Request(NS, "going"));
        assertThat(cluster.deletions()).hasSize(1);
    }
}
