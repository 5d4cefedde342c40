package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one container with one of its probes, periodically, on its own virtual thread, as the
 * kubelet's {@code prober/worker.go} does. The first probe runs {@code initialDelaySeconds} after
 * the container started, then one every {@code periodSeconds}; the result changes only after
 * {@code successThreshold} successes or {@code failureThreshold} failures in a row. Until its
 * first verdict a readiness probe says failure, a liveness probe success and a startup probe
 * unknown. Liveness and readiness wait while the container's startup probe has not succeeded; a
 * startup probe stops once it has. After a liveness or startup failure the worker holds (the
 * kubelet kills the container; its next run gets a new worker). Each failed probe is a Warning
 * event {@code Unhealthy}. One worker belongs to one container id; {@link #stop()} ends it.
 */
final class ProbeWorker {
    private static final Logger log = LoggerFactory.getLogger(ProbeWorker.class);

    enum Kind {
        LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /** The worker's verdict, which the pod worker reads. */
    enum Result { SUCCESS, FAILURE, UNKNOWN }

    private final Kind kind;
    private final Probe probe;
    private final Container spec;
    private final String containerId;
    private final Instant startedAt;
    private final Supplier<String> podIp;
    private final Prober prober;
    private final BooleanSupplier started;
    private final Runnable onChange;
    private final Pod pod;
    private final EventRecorder events;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final int successThreshold;
    private final int failureThreshold;
    private final Duration period;
    private final Duration initialDelay;
    private volatile Result result;
    private Prober.Outcome lastOutcome;
    private int run;
    private volatile boolean onHold;

    /**
     * @param started whether the container's startup probe has succeeded (true when it has none); read before each liveness or readiness probe
     * @param onChange called (on this worker's thread) when {@link #result()} changes
     */
    ProbeWorker(Kind kind, Probe probe, Container spec, String containerId, Instant startedAt, Supplier<String> podIp,
                Prober prober, BooleanSupplier started, Runnable onChange, Pod pod, EventRecorder events, Clock clock) {
        this.kind = requireNonNull(kind, "kind is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.containerId = requireNonNull(containerId, "containerId is null");
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
        this.podIp = requireNonNull(podIp, "podIp is null");
        this.prober = requireNonNull(prober, "prober is null");
        this.started = requireNonNull(started, "started is null");
        this.onChange = requireNonNull(onChange, "onChange is null");
        this.pod = requireNonNull(pod, "pod is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.successThreshold = kind == Kind.READINESS ? positive(probe.getSuccessThreshold(), 1) : 1;
        this.failureThreshold = positive(probe.getFailureThreshold(), 3);
        this.period = Duration.ofSeconds(positive(probe.getPeriodSeconds(), 10));
        this.initialDelay = Duration.ofSeconds(Math.max(0, probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds()));
        this.result = switch (kind) {
            case LIVENESS -> Result.SUCCESS;
            case READINESS -> Result.FAILURE;
            case STARTUP -> Result.UNKNOWN;
        };
    }

    private static int positive(Integer value, int dflt) {
        return value == null || value < 1 ? dflt : value;
    }

    void start() {
        Thread.ofVirtual().name("kubelet-probe-" + kind.title.toLowerCase(java.util.Locale.ROOT) + "-"
                + pod.getMetadata().getName() + "-" + spec.getName()).start(this::loop);
    }

    /** Ends the worker; it probes no more. Idempotent, does not wait. */
    void stop() {
        stop.countDown();
    }

    Kind kind() {
        return kind;
    }

    String containerId() {
        return containerId;
    }

    /** The current verdict. Thread-safe. */
    Result result() {
        return result;
    }

    private void loop() {
        try {
            Duration delay = Duration.between(clock.instant(), startedAt.plus(initialDelay));
            if (!delay.isNegative() && stop.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            do {
                if (kind == Kind.STARTUP && result == Result.SUCCESS) {
                    return; // a startup probe's work is done once it succeeded
                }
                if (!onHold && (kind == Kind.STARTUP || started.getAsBoolean())) {
                    probeOnce();
                }
            } while (!stop.await(period.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} probe of {}/{} container {} failed", kind.title, pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), spec.getName(), e);
        }
    }

    private void probeOnce() {
        Prober.Result r = prober.probe(probe, spec, containerId, podIp.get());
        if (stop.getCount() == 0) {
            return;
        }
        switch (r.outcome()) {
            case ERROR -> {
                // As the kubelet: an error is an event and its result is thrown away.
                if (!prober.running(containerId)) {
                    return;
                }
                events.event(pod, EventType.WARNING, "Unhealthy", "%s probe errored: %s", kind.title, r.output());
                return;
            }
            case FAILURE -> events.event(pod, EventType.WARNING, "Unhealthy", "%s probe failed: %s", kind.title, r.output());
            case SUCCESS -> {
            }
        }
        if (observe(r.outcome())) {
            onChange.run();
        }
    }

    /** Counts one probe's outcome (SUCCESS or FAILURE) against the thresholds; true if the verdict changed. */
    boolean observe(Prober.Outcome outcome) {
        if (outcome == lastOutcome) {
            run++;
        } else {
            lastOutcome = outcome;
            run = 1;
        }
        if ((outcome == Prober.Outcome.FAILURE && run < failureThreshold)
                || (outcome == Prober.Outcome.SUCCESS && run < successThreshold)) {
            return false;
        }
        Result next = outcome == Prober.Outcome.SUCCESS ? Result.SUCCESS : Result.FAILURE;
        Result previous = result;
        result = next;
        if (next == Result.FAILURE && kind != Kind.READINESS) {
            // The container is about to be killed; the kubelet's worker holds until a new container runs.
            run = 0;
            onHold = true;
        }
        return previous != next;
    }
}
