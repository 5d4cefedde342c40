package io.kube4j.controllers.resourcequota;

import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * Config of the {@code resourcequota} controller.
 *
 * @param resyncPeriod how often every quota is recalculated even without events, as
 *                     kube-controller-manager's {@code --resource-quota-sync-period}; default {@code 5m}
 */
public record ResourceQuotaConfig(String resyncPeriod) {
    public ResourceQuotaConfig {
        resyncPeriod = resyncPeriod == null ? "5m" : resyncPeriod;
        Duration d = Durations.parse("resyncPeriod", resyncPeriod);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("resyncPeriod must be positive: " + resyncPeriod);
        }
    }

    /** The config with every default. */
    public static ResourceQuotaConfig defaults() {
        return new ResourceQuotaConfig(null);
    }

    /** {@link #resyncPeriod()} parsed. */
    public Duration resync() {
        return Durations.parse("resyncPeriod", resyncPeriod);
    }
}
