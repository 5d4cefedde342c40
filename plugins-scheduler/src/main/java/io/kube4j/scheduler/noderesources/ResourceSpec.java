package io.kube4j.scheduler.noderesources;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.scheduling.Resources;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A resource a score looks at, with its weight among the others.
 *
 * @param name {@code cpu}, {@code memory}, {@code ephemeral-storage} or an extended resource
 * @param weight 1..100; 0 (absent) means 1
 */
public record ResourceSpec(String name, int weight) {

    /** cpu and memory, weight 1 each: kube-scheduler's default. */
    public static final List<ResourceSpec> DEFAULT_RESOURCES =
            List.of(new ResourceSpec(Resources.CPU, 1), new ResourceSpec(Resources.MEMORY, 1));

    public ResourceSpec {
        requireNonNull(name, "name is null: each entry of 'resources' needs a 'name'");
        if (name.isBlank()) {
            throw new IllegalArgumentException("resources[].name is blank");
        }
        if (weight == 0) {
            weight = 1;
        }
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException("resources[].weight of " + name + " must be in [1, 100]: " + weight);
        }
    }

    /** {@code resources}, or the default when null or empty. */
    static List<ResourceSpec> orDefault(List<ResourceSpec> resources) {
        if (resources == null || resources.isEmpty()) {
            return DEFAULT_RESOURCES;
        }
        return List.copyOf(resources);
    }

    /** Fails on a name listed twice. */
    static void checkUnique(List<ResourceSpec> resources) {
        Set<String> names = new HashSet<>();
        for (ResourceSpec resource : resources) {
            if (!names.add(resource.name())) {
                throw new IllegalArgumentException("resources: duplicate resource name " + resource.name());
            }
        }
    }
}
