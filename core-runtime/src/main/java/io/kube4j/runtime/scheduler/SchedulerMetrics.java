package io.kube4j.runtime.scheduler;

import io.kube4j.runtime.metrics.MetricsRegistry;
import io.kube4j.runtime.scheduler.queue.SchedulingQueue;
import java.time.Duration;

/**
 * The scheduler's Prometheus metrics, with kube-scheduler's names, labels and buckets
 * ({@code pkg/scheduler/metrics}): attempts by result and profile, attempt latency, the pod's
 * end-to-end (SLI) latency by attempts, the pending pods per queue (read from the queue at scrape
 * time), and preemption attempts.
 */
final class SchedulerMetrics {
    static final String SCHEDULED = "scheduled";
    static final String UNSCHEDULABLE = "unschedulable";
    static final String ERROR = "error";

    private final MetricsRegistry registry = new MetricsRegistry();
    private final MetricsRegistry.Counter attempts;
    private final MetricsRegistry.Histogram attemptDuration;
    private final MetricsRegistry.Histogram sliDuration;
    private final MetricsRegistry.Counter preemptionAttempts;

    SchedulerMetrics(SchedulingQueue queue, Iterable<String> profiles) {
        attempts = registry.counter("scheduler_schedule_attempts_total",
                "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled,"
                        + " while 'error' means an internal scheduler problem.", "result", "profile");
        attemptDuration = registry.histogram("scheduler_scheduling_attempt_duration_seconds",
                "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
                MetricsRegistry.exponentialBuckets(0.001, 2, 15), "result", "profile");
        sliDuration = registry.histogram("scheduler_pod_scheduling_sli_duration_seconds",
                "E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might"
                        + " involve multiple scheduling attempts.",
                MetricsRegistry.exponentialBuckets(0.01, 2, 20), "attempts");
        registry.gauge("scheduler_pending_pods", "Number of pending pods, by the queue type. 'active' means number of"
                + " pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in"
                + " unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of"
                + " unschedulable pods that the scheduler never attempted to schedule because they are gated.", sink -> {
                    int gated = queue.gatedCount();
                    sink.sample(queue.activeCount(), "active");
                    sink.sample(queue.backoffCount(), "backoff");
                    sink.sample(Math.max(0, queue.unschedulableCount() - gated), "unschedulable");
                    sink.sample(gated, "gated");
                }, "queue");
        preemptionAttempts = registry.counter("scheduler_preemption_attempts_total",
                "Total preemption attempts in the cluster till now");
        for (String profile : profiles) {
            for (String result : new String[] {SCHEDULED, UNSCHEDULABLE, ERROR}) {
                attempts.touch(result, profile);
            }
        }
        preemptionAttempts.touch();
    }

    /** One scheduling attempt ended with {@code result} after {@code duration} (cycle start to bound, or to failure). */
    void attempt(String result, String profile, Duration duration) {
        attempts.inc(result, profile);
        attemptDuration.observe(seconds(duration), result, profile);
    }

    /** A pod was bound after {@code attempts} attempts, {@code sinceFirstAttempt} after its first. */
    void podScheduled(int attempts, Duration sinceFirstAttempt) {
        sliDuration.observe(seconds(sinceFirstAttempt), Integer.toString(attempts));
    }

    /** PostFilter (preemption) ran for a pod that fits nowhere. */
    void preemptionAttempted() {
        preemptionAttempts.inc();
    }

    long attempts(String result, String profile) {
        return attempts.get(result, profile);
    }

    MetricsRegistry registry() {
        return registry;
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toNanos()) / 1e9;
    }
}
