package io.kube4j.runtime.profile;

import java.util.List;

/**
 * The {@code scheduler:} section of a profile, shaped like kube-scheduler's
 * {@code KubeSchedulerConfiguration}. Absent from a profile: no scheduler runs in the process.
 *
 * @param profiles                 one entry per {@code schedulerName}; default: {@code default-scheduler} with the default plugins
 * @param percentageOfNodesToScore how many nodes, in percent, to find feasible before scoring; 0 (default) is kube-scheduler's adaptive rule
 * @param parallelism              how many nodes Filter and Score check at once (default 16)
 * @param leaderElection           whether to take the {@code kube-system/kube-scheduler} Lease before scheduling (default on)
 * @param address                  host:port of the scheduler's HTTP port ({@code /metrics}, {@code /healthz},
 *                                 {@code /debug/pods/...}); default {@code 127.0.0.1:0}, a free port, announced in
 *                                 the Service and Endpoints {@code kube-system/kube-scheduler} while it leads
 */
public record SchedulerProfile(List<SchedulerProfileEntry> profiles, Integer percentageOfNodesToScore, Integer parallelism,
                               LeaderElection leaderElection, String address) {
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public SchedulerProfile {
        profiles = profiles == null || profiles.isEmpty()
                ? List.of(new SchedulerProfileEntry(DEFAULT_SCHEDULER_NAME, null, null))
                : List.copyOf(profiles);
        percentageOfNodesToScore = percentageOfNodesToScore == null ? 0 : percentageOfNodesToScore;
        parallelism = parallelism == null ? 16 : parallelism;
        leaderElection = leaderElection == null ? new LeaderElection(true) : leaderElection;
        address = address == null ? "127.0.0.1:0" : address;
        if (!address.matches("[^:]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("scheduler.address must be host:port, e.g. 127.0.0.1:10259: " + address);
        }
        if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("scheduler.percentageOfNodesToScore must be in 0..100: "
                    + percentageOfNodesToScore);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("scheduler.parallelism must be >= 1: " + parallelism);
        }
        long names = profiles.stream().map(SchedulerProfileEntry::schedulerName).distinct().count();
        if (names != profiles.size()) {
            throw new IllegalArgumentException("scheduler.profiles: each schedulerName may appear once");
        }
    }

    /** The host of {@link #address()}. */
    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    /** The port of {@link #address()}; 0 is any free port. */
    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Kube-scheduler's {@code leaderElection: {leaderElect: true}}. */
    public record LeaderElection(Boolean leaderElect) {
        public LeaderElection {
            leaderElect = leaderElect == null ? Boolean.TRUE : leaderElect;
        }
    }

    /**
     * One scheduler profile.
     *
     * @param schedulerName the {@code spec.schedulerName} of the pods it schedules
     * @param plugins       changes to the default plugins, per extension point
     * @param pluginConfig  plugin args: {@code {name: NodeResourcesFit, args: {...}}}
     */
    public record SchedulerProfileEntry(String schedulerName, SchedulerPlugins plugins, List<PluginSlot> pluginConfig) {
        public SchedulerProfileEntry {
            schedulerName = schedulerName == null ? DEFAULT_SCHEDULER_NAME : schedulerName;
            plugins = plugins == null ? SchedulerPlugins.NONE : plugins;
            pluginConfig = pluginConfig == null ? List.of() : List.copyOf(pluginConfig);
            if (schedulerName.isBlank()) {
                throw new IllegalArgumentException("scheduler.profiles[].schedulerName is blank");
            }
        }
    }

    /** The plugin sets of every extension point, as in {@code KubeSchedulerConfiguration.profiles[].plugins}. */
    public record SchedulerPlugins(PluginSet multiPoint, PluginSet queueSort, PluginSet preEnqueue, PluginSet preFilter,
                                   PluginSet filter, PluginSet postFilter, PluginSet preScore, PluginSet score,
                                   PluginSet reserve, PluginSet permit, PluginSet preBind, PluginSet bind,
                                   PluginSet postBind) {
        public static final SchedulerPlugins NONE = new SchedulerPlugins(null, null, null, null, null, null, null, null,
                null, null, null, null, null);

        public SchedulerPlugins {
            multiPoint = orEmpty(multiPoint);
            queueSort = orEmpty(queueSort);
            preEnqueue = orEmpty(preEnqueue);
            preFilter = orEmpty(preFilter);
            filter = orEmpty(filter);
            postFilter = orEmpty(postFilter);
            preScore = orEmpty(preScore);
            score = orEmpty(score);
            reserve = orEmpty(reserve);
            permit = orEmpty(permit);
            preBind = orEmpty(preBind);
            bind = orEmpty(bind);
            postBind = orEmpty(postBind);
        }

        private static PluginSet orEmpty(PluginSet set) {
            return set == null ? PluginSet.EMPTY : set;
        }
    }

    /** The plugins enabled at one point (in order, with score weights) and the default ones disabled ({@code *} for all). */
    public record PluginSet(List<SchedulerPluginRef> enabled, List<SchedulerPluginRef> disabled) {
        public static final PluginSet EMPTY = new PluginSet(null, null);

        public PluginSet {
            enabled = enabled == null ? List.of() : List.copyOf(enabled);
            disabled = disabled == null ? List.of() : List.copyOf(disabled);
        }
    }
}
