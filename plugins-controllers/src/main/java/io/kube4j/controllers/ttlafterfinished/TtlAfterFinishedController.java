package io.kube4j.controllers.ttlafterfinished;

import static io.kube4j.controllers.timestamps.Timestamps.parse;
import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Kube-controller-manager's TTL-after-finished controller ({@code pkg/controller/ttlafterfinished}):
 * a Job with {@code spec.ttlSecondsAfterFinished} whose {@code Complete} or {@code Failed} condition is
 * true is deleted that many seconds after the condition's {@code lastTransitionTime} (or
 * {@code status.completionTime}). Until then the key is requeued for the moment it expires. Before
 * deleting, the Job is read live and checked again (its TTL may have been changed), and the delete
 * carries its uid as precondition, so a Job recreated under the same name is never hit. The delete
 * propagates in the foreground, as upstream's: the Job stays (with {@code deletionTimestamp}) until
 * the garbage collector has removed its pods.
 */
final class TtlAfterFinishedController implements Controller {
    private static final DeleteOptions DELETE = DeleteOptions.DEFAULT.withPropagationPolicy("Foreground");

    private final ApiClient client;
    private final Lister<Job> jobs;
    private final Clock clock;

    TtlAfterFinishedController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.jobs = context.lister(Job.class);
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return TtlAfterFinishedControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Job.class));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Instant> cachedExpiry = jobs.get(request).flatMap(TtlAfterFinishedController::expiresAt);
        if (cachedExpiry.isEmpty()) {
            return Result.done();
        }
        Instant now = clock.instant();
        if (cachedExpiry.get().isAfter(now)) {
            return Result.requeueAfter(Duration.between(now, cachedExpiry.get()));
        }
        Optional<Job> live = client.get(Job.class, request.namespace(), request.name());
        Optional<Instant> expiry = live.flatMap(TtlAfterFinishedController::expiresAt);
        if (expiry.isEmpty()) {
            return Result.done();
        }
        if (expiry.get().isAfter(now)) {
            return Result.requeueAfter(Duration.between(now, expiry.get()));
        }
        try {
            client.delete(Job.class, request.namespace(), request.name(), DELETE.withPreconditionUid(live.get().getMetadata().getUid()));
        } catch (ApiException e) {
            // Gone, or replaced by a Job of the same name (the uid precondition failed): nothing of ours is left.
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
        return Result.done();
    }

    /** When a finished Job with a TTL expires; empty for a Job without TTL, unfinished, or already being deleted. */
    static Optional<Instant> expiresAt(Job job) {
        if (job.getMetadata().getDeletionTimestamp() != null || job.getSpec() == null
                || job.getSpec().getTtlSecondsAfterFinished() == null || job.getStatus() == null) {
            return Optional.empty();
        }
        return finishedAt(job).map(t -> t.plusSeconds(job.getSpec().getTtlSecondsAfterFinished()));
    }

    private static Optional<Instant> finishedAt(Job job) {
        List<JobCondition> conditions = job.getStatus().getConditions() == null ? List.of() : job.getStatus().getConditions();
        Optional<JobCondition> finished = conditions.stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst();
        if (finished.isEmpty()) {
            return Optional.empty();
        }
        return parse(finished.get().getLastTransitionTime()).or(() -> parse(job.getStatus().getCompletionTime()));
    }
}
