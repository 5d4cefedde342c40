package io.kube4j.scheduler.noderesources;

import java.util.List;

/**
 * Args of {@code NodeResourcesBalancedAllocation}, as kube-scheduler's
 * {@code NodeResourcesBalancedAllocationArgs}.
 *
 * @param resources the resources whose fractions should stay even; cpu and memory when absent.
 *        Weights must be 1: the balance treats every resource alike.
 */
public record NodeResourcesBalancedAllocationArgs(List<ResourceSpec> resources) {

    public NodeResourcesBalancedAllocationArgs {
        resources = ResourceSpec.orDefault(resources);
        ResourceSpec.checkUnique(resources);
        for (ResourceSpec resource : resources) {
            if (resource.weight() != 1) {
                throw new IllegalArgumentException("resources[].weight of " + resource.name() + " must be 1: " + resource.weight());
            }
        }
    }

    /** All defaults. */
    public static NodeResourcesBalancedAllocationArgs defaults() {
        return new NodeResourcesBalancedAllocationArgs(null);
    }
}
