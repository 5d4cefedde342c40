package io.kube4j.runtime.profile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A plugin named at a scheduler extension point: {@code {name: TaintToleration, weight: 3}}.
 *
 * @param name   the plugin's name, {@code *} in a disabled list for every default plugin
 * @param weight the score weight, 0 when not given (the default weight, or 1)
 * @param line   where the entry is in the profile file, for errors; 0 when not from a file
 */
@JsonDeserialize(using = SchedulerPluginRefDeserializer.class)
public record SchedulerPluginRef(String name, int weight, int line) {
    public SchedulerPluginRef {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a scheduler plugin entry needs a name");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight of " + name + " must be >= 0: " + weight);
        }
    }

    public static SchedulerPluginRef of(String name, int weight) {
        return new SchedulerPluginRef(name, weight, 0);
    }
}
