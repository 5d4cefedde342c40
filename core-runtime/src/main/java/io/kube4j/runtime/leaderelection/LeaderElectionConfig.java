package io.kube4j.runtime.leaderelection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One candidate's election settings, with kube-scheduler's and kube-controller-manager's defaults.
 *
 * @param namespace     where the Lease and the Endpoints live
 * @param name          the Lease's and the Endpoints' name ({@code kube-scheduler})
 * @param identity      this candidate, unique among candidates (host name and a random suffix)
 * @param leaseDuration how long standbys wait after the last renewal they saw before taking over
 * @param renewDeadline how long the leader keeps retrying a failing renewal before it steps down
 * @param retryPeriod   how often candidates try to acquire and the leader renews
 */
public record LeaderElectionConfig(String namespace, String name, String identity, Duration leaseDuration,
                                   Duration renewDeadline, Duration retryPeriod) {
    public LeaderElectionConfig {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        requireNonNull(renewDeadline, "renewDeadline is null");
        requireNonNull(retryPeriod, "retryPeriod is null");
        if (name.isBlank() || identity.isBlank()) {
            throw new IllegalArgumentException("name and identity must not be blank");
        }
        if (!retryPeriod.isPositive() || renewDeadline.compareTo(retryPeriod) <= 0
                || leaseDuration.compareTo(renewDeadline) <= 0 || leaseDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("need 0 < retryPeriod < renewDeadline < leaseDuration (>= 1 s): "
                    + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
        }
    }

    /** {@code kube-system/name}, lease 15 s, renew deadline 10 s, retry every 2 s. */
    public static LeaderElectionConfig defaults(String name, String identity) {
        return new LeaderElectionConfig("kube-system", name, identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2));
    }

    public LeaderElectionConfig withTimings(Duration lease, Duration renew, Duration retry) {
        return new LeaderElectionConfig(namespace, name, identity, lease, renew, retry);
    }
}
