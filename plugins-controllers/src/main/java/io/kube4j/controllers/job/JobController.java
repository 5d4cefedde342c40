package io.kube4j.controllers.job;

import static io.kube4j.controllers.timestamps.Timestamps.format;
import static io.kube4j.controllers.timestamps.Timestamps.parse;
import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.controllers.expectations.Expectations;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kube-controller-manager's Job controller ({@code pkg/controller/job}), for NonIndexed and Indexed Jobs.
 *
 * <ul>
 *   <li>Pods are made from the template (its labels carry {@code job-name},
 *       {@code batch.kubernetes.io/job-name} and the controller-uid labels, which the API server adds
 *       with the generated selector), named {@code <job>-<random>}, controlled by the Job, and carry
 *       the {@code batch.kubernetes.io/job-tracking} finalizer.</li>
 *   <li>Finished pods are counted as upstream does, in three steps that each survive a restart:
 *       their uids go into {@code status.uncountedTerminatedPods}, then their finalizer is removed,
 *       then they move into {@code succeeded} / {@code failed}. A pod deleted before it finished counts
 *       as failed. So a count is never lost when a finished pod is deleted, and never made twice.</li>
 *   <li>Active pods: up to {@code parallelism}, and no more than the completions still needed; with
 *       no {@code completions}, none are added once one pod has succeeded. After failures, new pods
 *       wait 10 s, doubling per failure up to 6 min, from the last failure.</li>
 *   <li>Complete when {@code succeeded} reaches {@code completions} (or, without completions, when one
 *       pod succeeded and none is active): condition {@code Complete}, {@code completionTime}, event
 *       {@code Completed}. Failed when more pods failed than {@code backoffLimit} (under restartPolicy
 *       OnFailure the container restarts of active pods count too: {@code BackoffLimitExceeded}) or when
 *       active longer than {@code activeDeadlineSeconds} ({@code DeadlineExceeded}): active pods are
 *       deleted, condition {@code Failed}. {@code suspend} deletes the active pods and sets
 *       {@code Suspended}.</li>
 *   <li>Indexed ({@code completionMode: Indexed}): one pod per index {@code 0..completions-1}, the lowest
 *       missing ones first, each told its index ({@link #podFromTemplate}); a succeeded pod completes its
 *       index ({@code status.completedIndexes}, {@code "0-2,4"}), a failed one's index is run again, and
 *       the Job is complete when every index is. With {@code backoffLimitPerIndex} failures count per
 *       index: each pod carries its index's count so far ({@code batch.kubernetes.io/job-index-failure-count}),
 *       an index that failed more often than the limit (or at once, by a podFailurePolicy {@code FailIndex}
 *       rule) goes into {@code status.failedIndexes} and runs no more, each index waits out its own back-off,
 *       and the Job fails with {@code FailedIndexes} once every index has completed or failed, or with
 *       {@code MaxFailedIndexesExceeded} as soon as more than {@code maxFailedIndexes} have failed.</li>
 *   <li>Status {@code active}, {@code ready}, {@code succeeded}, {@code failed}, {@code startTime}.
 *       A finished Job keeps its pods, freed of the finalizer; a deleted Job's pods are freed of it so
 *       that the garbage collector can remove them.</li>
 * </ul>
 */
final class JobController implements Controller {
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    /** On each pod of an Indexed Job with {@code backoffLimitPerIndex}: how often its index had failed before it. */
    static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
    private static final int BURST = 500;
    private static final String KIND = "Job";
    private static final String API_VERSION = "batch/v1";
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

    private final ApiClient client;
    private final Lister<Job> jobs;
    private final Lister<Pod> pods;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;
    /** Pods whose finalizer this controller removed, until the cache shows it gone: never counted twice. */
    private final Set<String> finalizerRemoved = ConcurrentHashMap.newKeySet();

    JobController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.jobs = context.lister(Job.class);
        this.pods = context.lister(Pod.class);
        this.events = context.eventRecorder();
        this.clock = context.clock();
        this.expectations = new Expectations(clock);
        context.informers().informerFor(Pod.class).addEventHandler(expectations.podHandler(this::controllerOf));
        context.informers().informerFor(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                finalizerRemoved.remove(pod.getMetadata().getUid());
            }
        });
    }

    @Override
    public String name() {
        return JobControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Job.class), WatchSource.owns(Pod.class));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Job> cached = jobs.get(request);
        if (cached.isEmpty()) {
            expectations.forget(request);
            for (Pod pod : podsControlledBy(request, null)) {
                removeFinalizer(pod);
            }
            return Result.done();
        }
        Job job = cached.get();
        List<Pod> owned = podsControlledBy(request, job.getMetadata().getUid());
        if (job.getMetadata().getDeletionTimestamp() != null) {
            owned.forEach(this::removeFinalizer);
            return Result.done();
        }
        boolean satisfied = expectations.satisfied(request);
        // Counting needs a cache that has seen this controller's own writes.
        if (!satisfied) {
            return Result.done();
        }
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        if (finished(status)) {
            owned.forEach(this::removeFinalizer);
            return Result.done();
        }
        job = trackFinishedPods(job, owned);
        Job tracked = job;
        status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        Instant now = clock.instant();
        List<Pod> active = owned.stream().filter(JobController::isActive).toList();
        boolean indexed = indexed(job);
        TreeSet<Integer> completedIndexes = CompletionIndexes.parse(status.getCompletedIndexes(), completions(job));
        boolean perIndex = perIndex(job);
        TreeSet<Integer> failedIndexes = perIndex ? CompletionIndexes.parse(status.getFailedIndexes(), completions(job)) : new TreeSet<>();
        // Indexed: an index counts once, however many of its pods succeed.
        int succeeded = indexed ? completedIndexes.size() : count(status.getSucceeded()) + uncounted(status).getSucceeded().size();
        int failed = count(status.getFailed()) + uncounted(status).getFailed().size();
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        Integer completions = job.getSpec().getCompletions();
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();

        JobStatusBuilder next = new JobStatusBuilder(status);
        Result result = Result.done();
        if (status.getStartTime() == null && !suspended) {
            next.withStartTime(format(now));
        }
        Instant started = parse(status.getStartTime()).orElse(now);

        String failReason = null;
        String failMessage = null;
        int restarts = "OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())
                ? active.stream().mapToInt(JobController::restarts).sum() : 0;
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        Optional<String> failJob = owned.stream().filter(p -> "Failed".equals(phase(p)))
                .map(p -> policyMatch(tracked, p)).flatMap(Optional::stream).filter(m -> m.action().equals("FailJob"))
                .map(PolicyMatch::message).findFirst();
        if (failJob.isPresent()) {
            failReason = "PodFailurePolicy";
            failMessage = failJob.get();
        } else if (perIndex && job.getSpec().getMaxFailedIndexes() != null
                && failedIndexes.size() > job.getSpec().getMaxFailedIndexes()) {
            failReason = "MaxFailedIndexesExceeded";
            failMessage = "Job has exceeded the specified maximal number of failed indexes";
        } else if (perIndex && !failedIndexes.isEmpty() && completedIndexes.size() + failedIndexes.size() >= completions(job)) {
            failReason = "FailedIndexes";
            failMessage = "Job has failed indexes";
        } else if (failed + restarts > backoffLimit) {
            failReason = "BackoffLimitExceeded";
            failMessage = "Job has reached the specified backoff limit";
        } else if (deadline != null && !suspended && !started.plusSeconds(deadline).isAfter(now)) {
            failReason = "DeadlineExceeded";
            failMessage = "Job was active longer than specified deadline";
        }
        boolean complete = failReason == null && (completions == null ? succeeded > 0 && active.isEmpty() : succeeded >= completions);

        if (failReason != null || complete) {
            deleteAll(request, job, active);
            String type = complete ? "Complete" : "Failed";
            next.withConditions(withCondition(status.getConditions(), type, complete ? null : failReason, complete ? null : failMessage, now));
            if (complete) {
                next.withCompletionTime(format(now));
                events.event(job, EventType.NORMAL, "Completed", "Job completed");
            } else {
                events.event(job, EventType.WARNING, failReason, failMessage);
            }
            next.withActive(null).withReady(0);
        } else if (suspended) {
            deleteAll(request, job, active);
            next.withConditions(withCondition(status.getConditions(), "Suspended", "JobSuspended", "Job suspended", now))
                    .withStartTime(null).withActive(null).withReady(0);
        } else {
            if (hasCondition(status.getConditions(), "Suspended")) {
                next.withConditions(withoutCondition(status.getConditions(), "Suspended"));
                events.event(job, EventType.NORMAL, "Resumed", "Job resumed");
            }
            int want = completions == null
                    ? (succeeded > 0 ? active.size() : parallelism)
                    : Math.max(0, Math.min(parallelism, completions - succeeded - failedIndexes.size()));
            if (perIndex) {
                // Each index waits out its own back-off; the others go on.
                Map<Integer, Failures> failures = indexFailures(tracked, owned);
                Set<Integer> skip = new java.util.HashSet<>(failedIndexes);
                Optional<Duration> soonest = Optional.empty();
                for (var e : failures.entrySet()) {
                    Optional<Duration> wait = e.getValue().backoffLeft(now);
                    if (wait.isPresent()) {
                        skip.add(e.getKey());
                        soonest = soonest.isEmpty() || wait.get().compareTo(soonest.get()) < 0 ? wait : soonest;
                    }
                }
                manageActive(request, job, active, want, completedIndexes, skip, failures);
                if (soonest.isPresent()) {
                    result = Result.requeueAfter(soonest.get());
                }
            } else {
                Optional<Duration> backoff = backoffLeft(tracked, owned, failed, now);
                if (active.size() < want && backoff.isPresent()) {
                    result = Result.requeueAfter(backoff.get());
                } else {
                    manageActive(request, job, active, want, completedIndexes, Set.of(), Map.of());
                }
            }
            if (deadline != null) {
                Duration left = Duration.between(now, started.plusSeconds(deadline)).plusMillis(100);
                if (result instanceof Result.Done || (result instanceof Result.RequeueAfter r && left.compareTo(r.delay()) < 0)) {
                    result = Result.requeueAfter(left);
                }
            }
            next.withActive(omitZero(active.size())).withReady((int) active.stream().filter(JobController::isReady).count());
        }
        JobStatus wanted = next.build();
        if (!wanted.equals(job.getStatus())) {
            client.updateStatus(new JobBuilder(job).withStatus(wanted).build());
        }
        return result;
    }

    /**
     * The three steps of finalizer-based tracking. Returns the Job as last written (its status is the
     * truth about what was counted; a stale one makes the write fail with a conflict, and the key is retried).
     */
    private Job trackFinishedPods(Job job, List<Pod> owned) {
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        UncountedTerminatedPods uncounted = uncounted(status);
        Set<String> newSucceeded = new LinkedHashSet<>(uncounted.getSucceeded());
        Set<String> newFailed = new LinkedHashSet<>(uncounted.getFailed());
        for (Pod pod : owned) {
            String uid = pod.getMetadata().getUid();
            if (!hasFinalizer(pod)) {
                finalizerRemoved.remove(uid);
                continue;
            }
            if (finalizerRemoved.contains(uid) || newSucceeded.contains(uid) || newFailed.contains(uid)) {
                continue;
            }
            String phase = phase(pod);
            if ("Succeeded".equals(phase)) {
                newSucceeded.add(uid);
            } else if ("Failed".equals(phase) && ignored(job, pod)) {
                // podFailurePolicy Ignore: not a failure; the pod is freed and replaced, its failure never counted.
                removeFinalizer(pod);
            } else if ("Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
                newFailed.add(uid);
            }
        }
        if (newSucceeded.size() != uncounted.getSucceeded().size() || newFailed.size() != uncounted.getFailed().size()) {
            job = client.updateStatus(new JobBuilder(job).withStatus(new JobStatusBuilder(status).withNewUncountedTerminatedPods()
                    .withSucceeded(new ArrayList<>(newSucceeded)).withFailed(new ArrayList<>(newFailed))
                    .endUncountedTerminatedPods().build()).build());
        }
        Map<String, Pod> byUid = new HashMap<>();
        owned.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
        Set<String> counted = new LinkedHashSet<>();
        for (String uid : concat(newSucceeded, newFailed)) {
            Pod pod = byUid.get(uid);
            if (pod == null || !hasFinalizer(pod) || finalizerRemoved.contains(uid) || removeFinalizer(pod)) {
                counted.add(uid);
            }
        }
        if (counted.isEmpty()) {
            return job;
        }
        JobStatus current = job.getStatus() == null ? new JobStatus() : job.getStatus();
        int succeededNow = (int) newSucceeded.stream().filter(counted::contains).count();
        String completedIndexes = current.getCompletedIndexes();
        if (indexed(job)) {
            // A succeeded pod completes its index, unless another pod of that index did so before.
            int completions = completions(job);
            TreeSet<Integer> completed = CompletionIndexes.parse(completedIndexes, completions);
            int before = completed.size();
            for (String uid : newSucceeded) {
                Pod pod = byUid.get(uid);
                if (counted.contains(uid) && pod != null) {
                    index(pod).filter(i -> i < completions).ifPresent(completed::add);
                }
            }
            succeededNow = completed.size() - before;
            completedIndexes = CompletionIndexes.format(completed);
        }
        String failedIndexes = current.getFailedIndexes();
        if (perIndex(job)) {
            // A failed pod fails its index once the index has failed more than backoffLimitPerIndex times, or at
            // once when podFailurePolicy says FailIndex.
            int completions = completions(job);
            TreeSet<Integer> failedSet = CompletionIndexes.parse(failedIndexes, completions);
            TreeSet<Integer> completed = CompletionIndexes.parse(completedIndexes, completions);
            int limit = job.getSpec().getBackoffLimitPerIndex();
            for (String uid : newFailed) {
                Pod pod = byUid.get(uid);
                if (!counted.contains(uid) || pod == null) {
                    continue;
                }
                boolean failIndex = policyMatch(job, pod)
                        .map(m -> m.action().equals("FailIndex")).orElse(false);
                int failures = failureCount(pod) + 1;
                index(pod).filter(i -> i < completions && !completed.contains(i))
                        .filter(i -> failIndex || failures > limit)
                        .ifPresent(failedSet::add);
            }
            failedIndexes = failedSet.isEmpty() ? null : CompletionIndexes.format(failedSet);
        }
        int failedNow = (int) newFailed.stream().filter(counted::contains).count();
        newSucceeded.removeAll(counted);
        newFailed.removeAll(counted);
        return client.updateStatus(new JobBuilder(job).withStatus(new JobStatusBuilder(current)
                .withSucceeded(omitZero(count(current.getSucceeded()) + succeededNow))
                .withFailed(omitZero(count(current.getFailed()) + failedNow)).withCompletedIndexes(completedIndexes)
                .withFailedIndexes(failedIndexes)
                .withNewUncountedTerminatedPods().withSucceeded(new ArrayList<>(newSucceeded)).withFailed(new ArrayList<>(newFailed))
                .endUncountedTerminatedPods().build()).build());
    }

    /** The first {@code podFailurePolicy} rule a failed pod matches: its action and, for FailJob, the Job's message. */
    record PolicyMatch(String action, String message) {
    }

    /**
     * kube's matching of a failed pod against the Job's {@code podFailurePolicy}, rule by rule: {@code onExitCodes}
     * looks at the terminated containers (init containers first) with a non-zero code, of {@code containerName}
     * if given, whose code is {@code In} (or {@code NotIn}) the values; {@code onPodConditions} at the pod's
     * conditions of that type and status.
     */
    static Optional<PolicyMatch> policyMatch(Job job, Pod pod) {
        PodFailurePolicy policy = job.getSpec().getPodFailurePolicy();
        if (policy == null || policy.getRules() == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        String podName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        for (int i = 0; i < policy.getRules().size(); i++) {
            PodFailurePolicyRule rule = policy.getRules().get(i);
            if (rule.getOnExitCodes() != null) {
                Optional<ContainerStatus> container = matchingContainer(pod.getStatus().getInitContainerStatuses(), rule.getOnExitCodes())
                        .or(() -> matchingContainer(pod.getStatus().getContainerStatuses(), rule.getOnExitCodes()));
                if (container.isPresent()) {
                    return Optional.of(new PolicyMatch(rule.getAction(), "Container %s for pod %s failed with exit code %d matching %s rule at index %d"
                            .formatted(container.get().getName(), podName, container.get().getState().getTerminated().getExitCode(),
                                    rule.getAction(), i)));
                }
            } else if (rule.getOnPodConditions() != null && pod.getStatus().getConditions() != null) {
                for (var condition : pod.getStatus().getConditions()) {
                    boolean matches = rule.getOnPodConditions().stream().anyMatch(p -> Objects.equals(p.getType(), condition.getType())
                            && Objects.equals(p.getStatus() == null ? "True" : p.getStatus(), condition.getStatus()));
                    if (matches) {
                        return Optional.of(new PolicyMatch(rule.getAction(), "Pod %s has condition %s matching %s rule at index %d"
                                .formatted(podName, condition.getType(), rule.getAction(), i)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerStatus> matchingContainer(List<ContainerStatus> statuses, PodFailurePolicyOnExitCodesRequirement rule) {
        if (statuses == null) {
            return Optional.empty();
        }
        for (ContainerStatus status : statuses) {
            var terminated = status.getState() == null ? null : status.getState().getTerminated();
            if (terminated == null || terminated.getExitCode() == null || terminated.getExitCode() == 0) {
                continue;
            }
            if (rule.getContainerName() != null && !rule.getContainerName().equals(status.getName())) {
                continue;
            }
            boolean in = rule.getValues() != null && rule.getValues().contains(terminated.getExitCode());
            if ("In".equals(rule.getOperator()) == in) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    private static boolean ignored(Job job, Pod pod) {
        return policyMatch(job, pod).map(m -> m.action().equals("Ignore")).orElse(false);
    }

    /** Removes the tracking finalizer, live; true once it is gone (or the pod is). */
    private boolean removeFinalizer(Pod pod) {
        if (!hasFinalizer(pod)) {
            return true;
        }
        Optional<Pod> live = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (live.isEmpty() || !live.get().getMetadata().getUid().equals(pod.getMetadata().getUid())) {
            return true;
        }
        if (!hasFinalizer(live.get())) {
            finalizerRemoved.add(pod.getMetadata().getUid());
            return true;
        }
        List<String> kept = live.get().getMetadata().getFinalizers().stream().filter(f -> !TRACKING_FINALIZER.equals(f)).toList();
        try {
            client.update(new PodBuilder(live.get()).editMetadata().withFinalizers(new ArrayList<>(kept)).endMetadata().build());
            finalizerRemoved.add(pod.getMetadata().getUid());
            return true;
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return true;
            }
            if (e.isConflict()) {
                return false;
            }
            throw e;
        }
    }

    /** Whether failures are counted per index: an Indexed Job with {@code backoffLimitPerIndex}. */
    private static boolean perIndex(Job job) {
        return indexed(job) && job.getSpec().getBackoffLimitPerIndex() != null;
    }

    /** How often a pod's index had failed before the pod was made ({@link #INDEX_FAILURE_COUNT}; 0 without it). */
    private static int failureCount(Pod pod) {
        String value = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(INDEX_FAILURE_COUNT);
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Failures so far (of a Job, or of one of its indexes), and when the last of them ended. */
    record Failures(int count, Instant lastFinished) {
        /** What is left of the back-off: 10 s after the first failure, doubling per failure up to 6 min. */
        Optional<Duration> backoffLeft(Instant now) {
            Duration delay = BACKOFF.multipliedBy(1L << Math.min(count - 1, 10));
            Instant until = lastFinished.plus(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
            return until.isAfter(now) ? Optional.of(Duration.between(now, until).plusMillis(50)) : Optional.empty();
        }
    }

    /** Per index, from the Job's failed pods (those podFailurePolicy ignores left out): its failures and the last one's end. */
    private static Map<Integer, Failures> indexFailures(Job job, List<Pod> owned) {
        Map<Integer, Failures> out = new HashMap<>();
        for (Pod pod : owned) {
            if (!"Failed".equals(phase(pod)) || ignored(job, pod)) {
                continue;
            }
            Optional<Integer> index = index(pod);
            Optional<Instant> finished = finishedAt(pod);
            if (index.isEmpty() || finished.isEmpty()) {
                continue;
            }
            Failures these = new Failures(failureCount(pod) + 1, finished.get());
            out.merge(index.get(), these, (a, b) -> new Failures(Math.max(a.count(), b.count()),
                    a.lastFinished().isAfter(b.lastFinished()) ? a.lastFinished() : b.lastFinished()));
        }
        return out;
    }

    private Optional<Duration> backoffLeft(Job job, List<Pod> owned, int failed, Instant now) {
        if (failed == 0) {
            return Optional.empty();
        }
        Optional<Instant> last = owned.stream().filter(p -> "Failed".equals(phase(p)) && !ignored(job, p))
                .map(JobController::finishedAt)
                .flatMap(Optional::stream).max(Comparator.naturalOrder());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return new Failures(failed, last.get()).backoffLeft(now);
    }

    /**
     * Creates or deletes pods towards {@code want} active ones. Indexed: the lowest indexes neither completed,
     * running, nor in {@code skip} (failed, or waiting out their back-off) come first, and each new pod carries
     * its index's count of failures ({@code failures}) when the Job has a {@code backoffLimitPerIndex}.
     */
    private void manageActive(Request key, Job job, List<Pod> active, int want, TreeSet<Integer> completed,
                              Set<Integer> skip, Map<Integer, Failures> failures) {
        boolean indexed = indexed(job);
        if (indexed) {
            // Two active pods of one index (a create seen late, say): the newer goes.
            Set<Integer> seen = new java.util.HashSet<>();
            List<Pod> duplicates = active.stream().sorted(Comparator.comparing(
                    (Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")))
                    .filter(p -> index(p).map(i -> !seen.add(i)).orElse(true)).toList();
            if (!duplicates.isEmpty()) {
                deleteAll(key, job, duplicates);
                return;
            }
        }
        int diff = active.size() - want;
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST);
            // Indexed: the lowest indexes neither completed nor running.
            java.util.Deque<Integer> indexes = new java.util.ArrayDeque<>();
            if (indexed) {
                Set<Integer> running = new java.util.HashSet<>();
                active.forEach(p -> index(p).ifPresent(running::add));
                for (int i = 0; i < completions(job) && indexes.size() < toCreate; i++) {
                    if (!completed.contains(i) && !running.contains(i) && !skip.contains(i)) {
                        indexes.add(i);
                    }
                }
                toCreate = indexes.size();
            }
            expectations.expectCreations(key, toCreate);
            int created = 0;
            int batch = 1;
            ApiException failure = null;
            while (created < toCreate && failure == null) {
                int n = Math.min(batch, toCreate - created);
                for (int i = 0; i < n; i++) {
                    try {
                        OptionalInt index = indexed ? OptionalInt.of(indexes.poll()) : OptionalInt.empty();
                        OptionalInt failureCount = index.isPresent() && perIndex(job)
                                ? OptionalInt.of(failures.containsKey(index.getAsInt()) ? failures.get(index.getAsInt()).count() : 0)
                                : OptionalInt.empty();
                        Pod pod = client.create(podFromTemplate(job, index, failureCount));
                        events.event(job, EventType.NORMAL, "SuccessfulCreate", "Created pod: %s", pod.getMetadata().getName());
                        created++;
                    } catch (ApiException e) {
                        failure = e;
                        events.event(job, EventType.WARNING, "FailedCreate", "Error creating: %s", e.getMessage());
                        break;
                    }
                }
                batch *= 2;
            }
            for (int i = created; i < toCreate; i++) {
                expectations.creationObserved(key);
            }
            if (failure != null) {
                throw failure;
            }
        } else if (diff > 0) {
            // The newest go; Indexed, the highest indexes.
            Comparator<Pod> order = indexed
                    ? Comparator.comparing((Pod p) -> index(p).orElse(Integer.MAX_VALUE), Comparator.reverseOrder())
                    : Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""),
                            Comparator.reverseOrder());
            deleteAll(key, job, active.stream().sorted(order).limit(diff).toList());
        }
    }

    private void deleteAll(Request key, Job job, List<Pod> victims) {
        if (victims.isEmpty()) {
            return;
        }
        Set<String> uids = new LinkedHashSet<>();
        victims.forEach(p -> uids.add(p.getMetadata().getUid()));
        expectations.expectDeletions(key, uids);
        for (Pod pod : victims) {
            try {
                client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), DeleteOptions.DEFAULT);
                events.event(job, EventType.NORMAL, "SuccessfulDelete", "Deleted pod: %s", pod.getMetadata().getName());
            } catch (ApiException e) {
                expectations.deletionObserved(key, pod.getMetadata().getUid());
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    /**
     * A pod from the template; for an Indexed Job, of {@code index}: named {@code <job>-<index>-<random>},
     * with the index in the {@code batch.kubernetes.io/job-completion-index} annotation and label, the
     * hostname {@code <job>-<index>} (unless the template sets one), and {@code JOB_COMPLETION_INDEX} in every
     * container's environment (from the annotation), as kube's Job controller makes them.
     */
    private Pod podFromTemplate(Job job, OptionalInt index, OptionalInt failureCount) {
        var template = job.getSpec().getTemplate();
        var meta = template.getMetadata();
        Map<String, String> labels = new HashMap<>(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels());
        Map<String, String> annotations = new HashMap<>(meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        List<String> finalizers = new ArrayList<>(meta == null || meta.getFinalizers() == null ? List.of() : meta.getFinalizers());
        finalizers.add(TRACKING_FINALIZER);
        String name = job.getMetadata().getName();
        PodSpecBuilder spec = new PodSpecBuilder(template.getSpec());
        if (index.isPresent()) {
            String value = Integer.toString(index.getAsInt());
            labels.put(CompletionIndexes.KEY, value);
            annotations.put(CompletionIndexes.KEY, value);
            name = name + "-" + value;
            if (template.getSpec().getHostname() == null) {
                spec.withHostname(name);
            }
            EnvVar env = new EnvVarBuilder().withName(CompletionIndexes.ENV).withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.annotations['" + CompletionIndexes.KEY + "']").endFieldRef().endValueFrom().build();
            spec.withContainers(withEnv(template.getSpec().getContainers(), env))
                    .withInitContainers(withEnv(template.getSpec().getInitContainers(), env));
        }
        failureCount.ifPresent(n -> annotations.put(INDEX_FAILURE_COUNT, Integer.toString(n)));
        return new PodBuilder().withNewMetadata().withNamespace(job.getMetadata().getNamespace())
                .withGenerateName(name + "-").withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).withFinalizers(finalizers)
                .withOwnerReferences(ownerRef(job)).endMetadata()
                .withSpec(spec.build()).build();
    }

    private static List<Container> withEnv(List<Container> containers, EnvVar env) {
        if (containers == null) {
            return null;
        }
        List<Container> result = new ArrayList<>();
        for (Container c : containers) {
            boolean has = c.getEnv() != null && c.getEnv().stream().anyMatch(e -> env.getName().equals(e.getName()));
            result.add(has ? c : new ContainerBuilder(c).addToEnv(env).build());
        }
        return result;
    }

    private static boolean indexed(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode());
    }

    private static int completions(Job job) {
        return job.getSpec().getCompletions() == null ? 0 : job.getSpec().getCompletions();
    }

    private static Optional<Integer> index(Pod pod) {
        return CompletionIndexes.of(pod.getMetadata().getAnnotations(), pod.getMetadata().getLabels());
    }

    private static OwnerReference ownerRef(Job job) {
        return new OwnerReferenceBuilder().withApiVersion(API_VERSION).withKind(KIND).withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The pods of the namespace controlled by a Job of that name (and that uid, unless null). */
    private List<Pod> podsControlledBy(Request key, String uid) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.list(key.namespace())) {
            Optional<OwnerReference> ref = controllerRef(pod);
            if (ref.isPresent() && KIND.equals(ref.get().getKind()) && key.name().equals(ref.get().getName())
                    && (uid == null || uid.equals(ref.get().getUid()))) {
                owned.add(pod);
            }
        }
        return owned;
    }

    private Optional<Request> controllerOf(Pod pod) {
        return controllerRef(pod).filter(r -> KIND.equals(r.getKind()) && r.getApiVersion() != null
                && r.getApiVersion().startsWith("batch/")).map(r -> new Request(pod.getMetadata().getNamespace(), r.getName()));
    }

    private static Optional<OwnerReference> controllerRef(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    private static boolean finished(JobStatus status) {
        return hasCondition(status.getConditions(), "Complete") || hasCondition(status.getConditions(), "Failed");
    }

    private static boolean hasCondition(List<JobCondition> conditions, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private List<JobCondition> withCondition(List<JobCondition> conditions, String type, String reason, String message, Instant now) {
        List<JobCondition> result = new ArrayList<>(withoutCondition(conditions, type));
        result.add(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(format(now)).withLastTransitionTime(format(now)).build());
        return result;
    }

    private static List<JobCondition> withoutCondition(List<JobCondition> conditions, String type) {
        return conditions == null ? List.of() : conditions.stream().filter(c -> !type.equals(c.getType())).toList();
    }

    private static UncountedTerminatedPods uncounted(JobStatus status) {
        UncountedTerminatedPods u = status.getUncountedTerminatedPods();
        List<String> s = u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded();
        List<String> f = u == null || u.getFailed() == null ? List.of() : u.getFailed();
        return new UncountedTerminatedPods(f, s);
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean hasFinalizer(Pod pod) {
        return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    private static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null) {
            return 0;
        }
        int sum = 0;
        for (List<ContainerStatus> statuses : java.util.Arrays.asList(pod.getStatus().getContainerStatuses(),
                pod.getStatus().getInitContainerStatuses())) {
            if (statuses != null) {
                sum += statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
            }
        }
        return sum;
    }

    private static Optional<Instant> finishedAt(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            Optional<Instant> latest = pod.getStatus().getContainerStatuses().stream()
                    .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                    .map(s -> parse(s.getState().getTerminated().getFinishedAt())).flatMap(Optional::stream)
                    .max(Comparator.naturalOrder());
            if (latest.isPresent()) {
                return latest;
            }
        }
        return parse(pod.getMetadata().getCreationTimestamp());
    }

    /** Zero counts are left out of the status, as upstream's {@code omitempty} int32 fields. */
    private static Integer omitZero(int n) {
        return n == 0 ? null : n;
    }

    private static int count(Integer n) {
        return n == null ? 0 : n;
    }

}
