package io.kube4j.scheduler.podtopologyspread;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Args of {@code PodTopologySpread}, as kube-scheduler's {@code PodTopologySpreadArgs}: the
 * constraints applied to pods that have none of their own.
 *
 * @param defaultConstraints the cluster's default constraints, used with {@code defaultingType: List};
 *        they must not have a {@code labelSelector} (it comes from each pod's workload)
 * @param defaultingType {@code System} (the default): kube-scheduler's built-in defaults
 *        ({@link #SYSTEM_DEFAULT_CONSTRAINTS}), and {@code defaultConstraints} must be empty;
 *        {@code List}: {@code defaultConstraints}
 */
public record PodTopologySpreadArgs(List<TopologySpreadConstraint> defaultConstraints, DefaultingType defaultingType) {

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    public static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    /** kube-scheduler's {@code systemDefaultConstraints}: spread softly over hosts (maxSkew 3) and zones (maxSkew 5). */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
            new TopologySpreadConstraintBuilder().withTopologyKey(HOSTNAME).withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(3).build(),
            new TopologySpreadConstraintBuilder().withTopologyKey(ZONE).withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(5).build());

    /** Where the default constraints come from. */
    public enum DefaultingType {
        @JsonProperty("System") SYSTEM,
        @JsonProperty("List") LIST
    }

    public PodTopologySpreadArgs {
        defaultConstraints = defaultConstraints == null ? List.of() : List.copyOf(defaultConstraints);
        defaultingType = defaultingType == null ? DefaultingType.SYSTEM : defaultingType;
        if (defaultingType == DefaultingType.SYSTEM && !defaultConstraints.isEmpty()) {
            throw new IllegalArgumentException("defaultConstraints: must be empty for System defaultingType");
        }
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < defaultConstraints.size(); i++) {
            TopologySpreadConstraint c = defaultConstraints.get(i);
            String path = "defaultConstraints[" + i + "]";
            if (c.getMaxSkew() == null || c.getMaxSkew() <= 0) {
                errors.add(path + ".maxSkew: must be greater than zero");
            }
            if (c.getTopologyKey() == null || c.getTopologyKey().isEmpty()) {
                errors.add(path + ".topologyKey: can not be empty");
            }
            String action = c.getWhenUnsatisfiable();
            if (!DO_NOT_SCHEDULE.equals(action) && !SCHEDULE_ANYWAY.equals(action)) {
                errors.add(path + ".whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway: " + action);
            } else if (!seen.add(c.getTopologyKey() + "/" + action)) {
                errors.add(path + ": duplicate {" + c.getTopologyKey() + ", " + action + "}");
            }
            if (c.getLabelSelector() != null) {
                errors.add(path + ".labelSelector: constraint must not define a selector, as they deduced for each pod");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /** All defaults: {@code System}. */
    public static PodTopologySpreadArgs defaults() {
        return new PodTopologySpreadArgs(null, null);
    }

    /** The default constraints in effect. */
    List<TopologySpreadConstraint> effectiveDefaultConstraints() {
        return defaultingType == DefaultingType.SYSTEM ? SYSTEM_DEFAULT_CONSTRAINTS : defaultConstraints;
    }
}
