package io.kube4j.controllers.nodelifecycle;

import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * Config of the {@code nodelifecycle} controller, as kube-controller-manager's flags of the same names.
 *
 * @param nodeMonitorGracePeriod how long a node's Lease and status may go unrenewed before the node is
 *                               marked {@code Unknown}, as a Go duration; default {@code 40s}
 * @param nodeStartupGracePeriod the same for a node that never posted a Ready condition; default {@code 60s}
 */
public record NodeLifecycleConfig(String nodeMonitorGracePeriod, String nodeStartupGracePeriod) {
    public static final String DEFAULT_MONITOR_GRACE_PERIOD = "40s";
    public static final String DEFAULT_STARTUP_GRACE_PERIOD = "60s";

    public NodeLifecycleConfig {
        nodeMonitorGracePeriod = nodeMonitorGracePeriod == null ? DEFAULT_MONITOR_GRACE_PERIOD : nodeMonitorGracePeriod;
        nodeStartupGracePeriod = nodeStartupGracePeriod == null ? DEFAULT_STARTUP_GRACE_PERIOD : nodeStartupGracePeriod;
        positive("nodeMonitorGracePeriod", nodeMonitorGracePeriod);
        positive("nodeStartupGracePeriod", nodeStartupGracePeriod);
    }

    /** The config with every default. */
    public static NodeLifecycleConfig defaults() {
        return new NodeLifecycleConfig(null, null);
    }

    /** {@link #nodeMonitorGracePeriod()} parsed. */
    public Duration monitorGracePeriod() {
        return Durations.parse("nodeMonitorGracePeriod", nodeMonitorGracePeriod);
    }

    /** {@link #nodeStartupGracePeriod()} parsed. */
    public Duration startupGracePeriod() {
        return Durations.parse("nodeStartupGracePeriod", nodeStartupGracePeriod);
    }

    private static void positive(String key, String value) {
        Duration d = Durations.parse(key, value);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive: " + value);
        }
    }
}
