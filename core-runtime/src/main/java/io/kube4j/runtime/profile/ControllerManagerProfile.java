package io.kube4j.runtime.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code controllerManager:} section of a profile, shaped like kube-controller-manager's flags.
 * Absent from a profile: no controller-manager runs in the process.
 *
 * @param controllers    which controllers run, as {@code --controllers}: {@code "*"} for every one,
 *                       {@code "name"} to enable one, {@code "-name"} to disable one (default {@code ["*"]})
 * @param workers        how many keys each controller reconciles at once (its {@code --concurrent-*-syncs}, default 5)
 * @param leaderElection whether to take the {@code kube-system/kube-controller-manager} Lease before running
 *                       the controllers (default on)
 * @param config         each controller's config by controller name (as the per-controller sections of
 *                       KubeControllerManagerConfiguration), e.g. {@code nodelifecycle: {nodeMonitorGracePeriod: 40s}};
 *                       a controller not named here gets its defaults
 */
public record ControllerManagerProfile(List<String> controllers, Integer workers, LeaderElection leaderElection,
                                       Map<String, JsonNode> config) {

    @JsonCreator
    public ControllerManagerProfile {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        controllers = controllers == null || controllers.isEmpty() ? List.of("*") : List.copyOf(controllers);
        workers = workers == null ? 5 : workers;
        leaderElection = leaderElection == null ? new LeaderElection(true) : leaderElection;
        if (workers < 1) {
            throw new IllegalArgumentException("controllerManager.workers must be >= 1: " + workers);
        }
        for (String c : controllers) {
            if (c == null || c.isBlank() || c.equals("-")) {
                throw new IllegalArgumentException("controllerManager.controllers: an entry is blank");
            }
        }
    }

    /** The section without per-controller config. */
    public ControllerManagerProfile(List<String> controllers, Integer workers, LeaderElection leaderElection) {
        this(controllers, workers, leaderElection, null);
    }

    /** Whether {@code name} runs: named, or {@code *} given and not {@code -name}; as kube-controller-manager's IsControllerEnabled. */
    public boolean enables(String name) {
        boolean star = false;
        for (String c : controllers) {
            if (c.equals(name)) {
                return true;
            }
            if (c.equals("-" + name)) {
                return false;
            }
            if (c.equals("*")) {
                star = true;
            }
        }
        return star;
    }

    /** Kube-controller-manager's {@code --leader-elect}. */
    public record LeaderElection(Boolean leaderElect) {
        public LeaderElection {
            leaderElect = leaderElect == null ? Boolean.TRUE : leaderElect;
        }
    }
}
