package io.kube4j.controllers.podgc;

import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * Config of the {@code podgc} controller.
 *
 * @param terminatedPodGCThreshold how many terminated (Succeeded or Failed) pods may exist before the
 *                                 oldest are deleted, as kube-controller-manager's
 *                                 {@code --terminated-pod-gc-threshold}; 0 or less keeps them all; default 12500
 * @param orphanQuarantine         how long a node must have been gone before its pods are deleted (a Go
 *                                 duration; upstream's fixed quarantine); default {@code 40s}
 * @param gcCheckPeriod            how often the collector looks even without events; default {@code 20s}
 */
public record PodGcConfig(Integer terminatedPodGCThreshold, String orphanQuarantine, String gcCheckPeriod) {
    public static final int DEFAULT_THRESHOLD = 12500;

    public PodGcConfig {
        terminatedPodGCThreshold = terminatedPodGCThreshold == null ? DEFAULT_THRESHOLD : terminatedPodGCThreshold;
        orphanQuarantine = orphanQuarantine == null ? "40s" : orphanQuarantine;
        gcCheckPeriod = gcCheckPeriod == null ? "20s" : gcCheckPeriod;
        if (Durations.parse("orphanQuarantine", orphanQuarantine).isNegative()) {
            throw new IllegalArgumentException("orphanQuarantine must not be negative: " + orphanQuarantine);
        }
        Duration period = Durations.parse("gcCheckPeriod", gcCheckPeriod);
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("gcCheckPeriod must be positive: " + gcCheckPeriod);
        }
    }

    /** The config with every default. */
    public static PodGcConfig defaults() {
        return new PodGcConfig(null, null, null);
    }

    /** {@link #orphanQuarantine()} parsed. */
    public Duration quarantine() {
        return Durations.parse("orphanQuarantine", orphanQuarantine);
    }

    /** {@link #gcCheckPeriod()} parsed. */
    public Duration checkPeriod() {
        return Durations.parse("gcCheckPeriod", gcCheckPeriod);
    }
}
