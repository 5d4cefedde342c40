package io.kube4j.controllers.cronjob;

import static io.kube4j.controllers.timestamps.Timestamps.format;
import static io.kube4j.controllers.timestamps.Timestamps.parse;
import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kube-controller-manager's CronJob controller ({@code pkg/controller/cronjob}, the v2 one).
 *
 * <ul>
 *   <li>The schedule ({@link CronSchedule}) is read in {@code spec.timeZone}, else in the
 *       controller-manager's zone (its clock's). An unknown zone or a schedule that does not parse is
 *       an event ({@code UnknownTimeZone}, {@code UnparseableSchedule}) and nothing is created.</li>
 *   <li>The most recent schedule time not yet run, since {@code status.lastScheduleTime} (or the
 *       creation) and within {@code startingDeadlineSeconds}, gets a Job named
 *       {@code <cronjob>-<scheduled time in minutes since the epoch>}, from {@code jobTemplate}, controlled
 *       by the CronJob, annotated {@code batch.kubernetes.io/cronjob-scheduled-timestamp}. Older missed
 *       times are skipped; more than 100 of them is the warning {@code TooManyMissedTimes}; a time
 *       whose deadline passed is the event {@code MissSchedule}.</li>
 *   <li>{@code concurrencyPolicy}: {@code Allow} runs them side by side, {@code Forbid} skips a time
 *       while a Job is active ({@code JobAlreadyActive}; the time is tried again until its deadline),
 *       {@code Replace} deletes the active Jobs first. {@code suspend} creates nothing.</li>
 *   <li>Status {@code active} (unfinished Jobs it controls, Jobs made with {@code kubectl create job
 *       --from=cronjob/...} too), {@code lastScheduleTime}, {@code lastSuccessfulTime}; events
 *       {@code SuccessfulCreate}, {@code SawCompletedJob}, {@code SuccessfulDelete}.</li>
 *   <li>Finished Jobs beyond {@code successfulJobsHistoryLimit} / {@code failedJobsHistoryLimit} are
 *       deleted, oldest first, in the background.</li>
 *   <li>The key is requeued for the next schedule time: no polling.</li>
 * </ul>
 */
final class CronJobController implements Controller {
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final int MAX_MISSED = 100;
    private static final String KIND = "CronJob";
    private static final String API_VERSION = "batch/v1";
    private static final DeleteOptions BACKGROUND = DeleteOptions.DEFAULT.withPropagationPolicy("Background");
    /** Requeue a little after the schedule time so that the clock has surely passed it. */
    private static final Duration SLACK = Duration.ofMillis(100);
    private static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32),
            Duration.ofDays(367), Duration.ofDays(5 * 366));

    private final ApiClient client;
    private final Lister<CronJob> cronJobs;
    private final Lister<Job> jobs;
    private final EventRecorder events;
    private final Clock clock;

    CronJobController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.cronJobs = context.lister(CronJob.class);
        this.jobs = context.lister(Job.class);
        this.events = context.eventRecorder();
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return CronJobControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(CronJob.class), WatchSource.owns(Job.class));
    }

    /** The schedule times a CronJob missed since {@code earliest}: the most recent one and how many. */
    record Missed(Instant mostRecent, int count) {
    }

    @Override
    public Result reconcile(Request request) {
        Optional<CronJob> cached = cronJobs.get(request);
        if (cached.isEmpty()) {
            return Result.done();
        }
        CronJob cronJob = cached.get();
        CronJobStatus old = cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus();
        CronJobStatus status = new CronJobBuilder(cronJob).build().getStatus();
        status = status == null ? new CronJobStatus() : status;
        List<Job> owned = owned(cronJob);
        trackActive(cronJob, status, owned);
        Result result = Result.done();
        if (cronJob.getMetadata().getDeletionTimestamp() == null) {
            result = schedule(cronJob, status);
        }
        if (!status.equals(old)) {
            try {
                client.updateStatus(new CronJobBuilder(cronJob).withStatus(status).build());
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (cronJob.getMetadata().getDeletionTimestamp() == null) {
            cleanUpHistory(cronJob, owned(cronJob));
        }
        return result;
    }

    /** Brings {@code status.active}, {@code lastSuccessfulTime} up to date with the Jobs it controls. */
    private void trackActive(CronJob cronJob, CronJobStatus status, List<Job> owned) {
        List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
        for (Job job : owned) {
            boolean listed = active.stream().anyMatch(r -> job.getMetadata().getUid().equals(r.getUid()));
            Optional<String> finished = finishedAs(job);
            if (finished.isEmpty() && !listed) {
                active.add(reference(job));
            } else if (finished.isPresent() && listed) {
                active.removeIf(r -> job.getMetadata().getUid().equals(r.getUid()));
                events.event(cronJob, EventType.NORMAL, "SawCompletedJob", "Saw completed job: %s, condition: %s",
                        job.getMetadata().getName(), finished.get());
            }
            if (finished.filter("Complete"::equals).isPresent() && job.getStatus().getCompletionTime() != null
                    && later(job.getStatus().getCompletionTime(), status.getLastSuccessfulTime())) {
                status.setLastSuccessfulTime(job.getStatus().getCompletionTime());
            }
        }
        // A listed Job missing from the cache may be only too new for it: drop it once the server says it is gone.
        active.removeIf(r -> owned.stream().noneMatch(j -> j.getMetadata().getUid().equals(r.getUid()))
                && client.get(Job.class, namespace(cronJob), r.getName()).filter(j -> j.getMetadata().getUid().equals(r.getUid()))
                .isEmpty());
        status.setActive(active.isEmpty() ? null : active);
    }

    private Result schedule(CronJob cronJob, CronJobStatus status) {
        ZoneId zone;
        try {
            zone = cronJob.getSpec().getTimeZone() == null ? clock.getZone() : ZoneId.of(cronJob.getSpec().getTimeZone());
        } catch (DateTimeException e) {
            events.event(cronJob, EventType.WARNING, "UnknownTimeZone", "invalid timeZone: %s: %s",
                    cronJob.getSpec().getTimeZone(), e.getMessage());
            return Result.done();
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cronJob.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            events.event(cronJob, EventType.WARNING, "UnparseableSchedule", "unparseable schedule: %s : %s",
                    cronJob.getSpec().getSchedule(), e.getMessage());
            return Result.done();
        }
        if (Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return Result.done();
        }
        Instant now = clock.instant();
        Result next = schedule.next(now, zone).map(t -> Result.requeueAfter(Duration.between(now, t).plus(SLACK)))
                .orElse(Result.done());
        Optional<Missed> missed = missed(schedule, zone, earliest(cronJob, status, now), now);
        if (missed.isEmpty()) {
            return next;
        }
        Instant scheduled = missed.get().mostRecent();
        if (missed.get().count() > MAX_MISSED) {
            events.event(cronJob, EventType.WARNING, "TooManyMissedTimes", "too many missed start times: %d. Set or decrease "
                    + ".spec.startingDeadlineSeconds or check clock skew", missed.get().count());
        }
        Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
            events.event(cronJob, EventType.WARNING, "MissSchedule", "Missed scheduled time to start a job: %s",
                    scheduled.atZone(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            return next;
        }
        String name = jobName(cronJob, scheduled);
        List<ObjectReference> active = status.getActive() == null ? List.of() : status.getActive();
        if (active.stream().anyMatch(r -> name.equals(r.getName()))) {
            return next;
        }
        String policy = Objects.requireNonNullElse(cronJob.getSpec().getConcurrencyPolicy(), "Allow");
        if ("Forbid".equals(policy) && !active.isEmpty()) {
            events.event(cronJob, EventType.NORMAL, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return next;
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference ref : active) {
                deleteJob(cronJob, ref.getName(), ref.getUid());
            }
            status.setActive(null);
        }
        Job job = create(cronJob, name, scheduled, zone);
        List<ObjectReference> nowActive = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
        if (nowActive.stream().noneMatch(r -> r.getUid().equals(job.getMetadata().getUid()))) {
            nowActive.add(reference(job));
        }
        status.setActive(nowActive);
        status.setLastScheduleTime(format(scheduled));
        return next;
    }

    /** Creates the Job of {@code scheduled}; one of ours already there (a lagging cache) counts as created. */
    private Job create(CronJob cronJob, String name, Instant scheduled, ZoneId zone) {
        var template = cronJob.getSpec().getJobTemplate();
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> annotations = new HashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, scheduled.atZone(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        Job job = new JobBuilder().withNewMetadata().withNamespace(namespace(cronJob)).withName(name)
                .withLabels(meta.getLabels() == null ? null : new HashMap<>(meta.getLabels())).withAnnotations(annotations)
                .withOwnerReferences(ownerRef(cronJob)).endMetadata()
                .withSpec(new JobSpecBuilder(template.getSpec()).build()).build();
        try {
            Job created = client.create(job);
            events.event(cronJob, EventType.NORMAL, "SuccessfulCreate", "Created job %s", name);
            return created;
        } catch (ApiException e) {
            if (e.isConflict()) {
                Optional<Job> existing = client.get(Job.class, namespace(cronJob), name);
                if (existing.isPresent() && isControlledBy(existing.get(), cronJob)) {
                    return existing.get();
                }
            }
            events.event(cronJob, EventType.WARNING, "FailedCreate", "Error creating job: %s", e.getMessage());
            throw e;
        }
    }

    /** Where to look for missed times from: the last schedule time, else the creation, within the starting deadline. */
    private static Instant earliest(CronJob cronJob, CronJobStatus status, Instant now) {
        Instant earliest = parse(status.getLastScheduleTime())
                .orElseGet(() -> parse(cronJob.getMetadata().getCreationTimestamp()).orElse(now));
        Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && now.minusSeconds(deadline).isAfter(earliest)) {
            return now.minusSeconds(deadline);
        }
        return earliest;
    }

    /**
     * The schedule times in {@code (earliest, now]}. Counting stops past {@link #MAX_MISSED}; the most
     * recent is then found from ever wider windows before {@code now}, never walking every minute of years.
     */
    static Optional<Missed> missed(CronSchedule schedule, ZoneId zone, Instant earliest, Instant now) {
        Instant last = null;
        int count = 0;
        Instant t = earliest;
        while (count <= MAX_MISSED) {
            Optional<Instant> next = schedule.next(t, zone);
            if (next.isEmpty() || next.get().isAfter(now)) {
                return last == null ? Optional.empty() : Optional.of(new Missed(last, count));
            }
            last = next.get();
            t = last;
            count++;
        }
        for (Duration window : WINDOWS) {
            Instant from = now.minus(window).isBefore(last) ? last : now.minus(window);
            Instant latest = null;
            for (Optional<Instant> next = schedule.next(from, zone); next.isPresent() && !next.get().isAfter(now);
                 next = schedule.next(next.get(), zone)) {
                latest = next.get();
            }
            if (latest != null) {
                return Optional.of(new Missed(latest, count));
            }
        }
        return Optional.of(new Missed(last, count));
    }

    /** Deletes the oldest finished Jobs beyond the history limits. */
    private void cleanUpHistory(CronJob cronJob, List<Job> owned) {
        Integer successful = cronJob.getSpec().getSuccessfulJobsHistoryLimit();
        Integer failed = cronJob.getSpec().getFailedJobsHistoryLimit();
        trim(cronJob, owned, "Complete", successful == null ? 3 : successful);
        trim(cronJob, owned, "Failed", failed == null ? 1 : failed);
    }

    private void trim(CronJob cronJob, List<Job> owned, String condition, int limit) {
        List<Job> finished = owned.stream().filter(j -> finishedAs(j).filter(condition::equals).isPresent())
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing((Job j) -> startedAt(j))).toList();
        for (int i = 0; i < finished.size() - limit; i++) {
            Job job = finished.get(i);
            deleteJob(cronJob, job.getMetadata().getName(), job.getMetadata().getUid());
        }
    }

    private void deleteJob(CronJob cronJob, String name, String uid) {
        try {
            client.delete(Job.class, namespace(cronJob), name, BACKGROUND.withPreconditionUid(uid));
            events.event(cronJob, EventType.NORMAL, "SuccessfulDelete", "Deleted job %s", name);
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                events.event(cronJob, EventType.WARNING, "FailedDelete", "Deleted job: %s", e.getMessage());
                throw e;
            }
        }
    }

    private static Instant startedAt(Job job) {
        return parse(job.getStatus() == null ? null : job.getStatus().getStartTime())
                .or(() -> parse(job.getMetadata().getCreationTimestamp())).orElse(Instant.EPOCH);
    }

    private List<Job> owned(CronJob cronJob) {
        return jobs.list(namespace(cronJob)).stream().filter(j -> isControlledBy(j, cronJob)).toList();
    }

    private static boolean isControlledBy(Job job, CronJob cronJob) {
        List<OwnerReference> refs = job.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
                && cronJob.getMetadata().getUid().equals(r.getUid()));
    }

    /** {@code Complete} or {@code Failed} when that condition of the Job is true. */
    static Optional<String> finishedAs(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .map(c -> c.getType()).findFirst();
    }

    static String jobName(CronJob cronJob, Instant scheduled) {
        return cronJob.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    private static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion(API_VERSION).withKind("Job").withNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                .withResourceVersion(job.getMetadata().getResourceVersion()).build();
    }

    private static OwnerReference ownerRef(CronJob cronJob) {
        return new OwnerReferenceBuilder().withApiVersion(API_VERSION).withKind(KIND).withName(cronJob.getMetadata().getName())
                .withUid(cronJob.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    private static boolean later(String time, String than) {
        Optional<Instant> t = parse(time);
        Optional<Instant> other = parse(than);
        return t.isPresent() && (other.isEmpty() || t.get().isAfter(other.get()));
    }



    private static String namespace(CronJob cronJob) {
        return cronJob.getMetadata().getNamespace();
    }
}
