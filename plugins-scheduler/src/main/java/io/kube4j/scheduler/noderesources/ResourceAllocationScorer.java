package io.kube4j.scheduler.noderesources;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.scheduler.noderesources.NodeResourcesFitArgs.UtilizationShapePoint;
import java.util.List;

/**
 * Scores a node from, per configured resource, what would be requested on it with the pod and
 * what it has; shared by NodeResourcesFit and NodeResourcesBalancedAllocation as in kube.
 */
final class ResourceAllocationScorer {

    /** Maps per-resource (requested, allocatable) to a score; a resource with allocatable 0 is to be skipped. */
    @FunctionalInterface
    interface Function {
        long score(long[] requested, long[] allocatable);
    }

    private static final long MAX_UTILIZATION = 100;
    private static final long MAX_CUSTOM_PRIORITY_SCORE = 10;

    private final List<ResourceSpec> resources;
    private final boolean useRequested;
    private final Function function;

    /**
     * @param useRequested whether to count the node's and the pod's actual requests; otherwise
     *        missing cpu/memory requests count as the defaults (NodeResourcesFit)
     */
    ResourceAllocationScorer(List<ResourceSpec> resources, boolean useRequested, Function function) {
        this.resources = List.copyOf(resources);
        this.useRequested = useRequested;
        this.function = function;
    }

    /** The pod's request of each configured resource, in order. */
    long[] podRequests(Pod pod) {
        Resources requests = useRequested ? PodRequests.requests(pod) : PodRequests.nonZeroRequests(pod);
        long[] amounts = new long[resources.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = PodRequests.amount(requests, resources.get(i).name());
        }
        return amounts;
    }

    long score(NodeInfo nodeInfo, long[] podRequests) {
        long[] requested = new long[resources.size()];
        long[] allocatable = new long[resources.size()];
        Resources nodeRequested = useRequested ? nodeInfo.requested() : nodeInfo.nonZeroRequested();
        for (int i = 0; i < requested.length; i++) {
            String name = resources.get(i).name();
            switch (name) {
                case Resources.CPU -> {
                    allocatable[i] = nodeInfo.allocatable().milliCpu();
                    requested[i] = nodeRequested.milliCpu() + podRequests[i];
                }
                case Resources.MEMORY -> {
                    allocatable[i] = nodeInfo.allocatable().memoryBytes();
                    requested[i] = nodeRequested.memoryBytes() + podRequests[i];
                }
                case Resources.EPHEMERAL_STORAGE -> {
                    allocatable[i] = nodeInfo.allocatable().ephemeralStorageBytes();
                    requested[i] = nodeInfo.requested().ephemeralStorageBytes() + podRequests[i];
                }
                default -> {
                    // A scalar resource the pod does not ask for, or the node does not have, is not scored.
                    if (podRequests[i] != 0 && nodeInfo.allocatable().scalar().containsKey(name)) {
                        allocatable[i] = nodeInfo.allocatable().scalar(name);
                        requested[i] = nodeInfo.requested().scalar(name) + podRequests[i];
                    }
                }
            }
            if (allocatable[i] == 0) {
                requested[i] = 0;
            }
        }
        return function.score(requested, allocatable);
    }

    static Function leastAllocated(List<ResourceSpec> resources) {
        return weighted(resources, (requested, capacity) -> requested > capacity
                ? 0 : (capacity - requested) * NodeScore.MAX_NODE_SCORE / capacity);
    }

    static Function mostAllocated(List<ResourceSpec> resources) {
        // Requests above capacity happen when pods without requests count the defaults: treat as full.
        return weighted(resources, (requested, capacity) -> Math.min(requested, capacity) * NodeScore.MAX_NODE_SCORE / capacity);
    }

    static Function requestedToCapacityRatio(List<ResourceSpec> resources, List<UtilizationShapePoint> shape) {
        long[] utilizations = new long[shape.size()];
        long[] scores = new long[shape.size()];
        for (int i = 0; i < utilizations.length; i++) {
            utilizations[i] = shape.get(i).utilization();
            scores[i] = shape.get(i).score() * (NodeScore.MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE);
        }
        PerResource perResource = (requested, capacity) -> brokenLinear(utilizations, scores,
                requested > capacity ? MAX_UTILIZATION : requested * MAX_UTILIZATION / capacity);
        return (requested, allocatable) -> {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < requested.length; i++) {
                if (allocatable[i] == 0) {
                    continue;
                }
                long weight = resources.get(i).weight();
                long resourceScore = perResource.score(requested[i], allocatable[i]);
                // kube leaves zero-score resources out of the average here (unlike Least/MostAllocated).
                if (resourceScore > 0) {
                    nodeScore += resourceScore * weight;
                    weightSum += weight;
                }
            }
            return weightSum == 0 ? 0 : Math.round((double) nodeScore / weightSum);
        };
    }

    static long balanced(long[] requested, long[] allocatable) {
        double[] fractions = new double[requested.length];
        int count = 0;
        double total = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            double fraction = Math.min(1, (double) requested[i] / allocatable[i]);
            fractions[count++] = fraction;
            total += fraction;
        }
        double std = 0;
        if (count == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (count > 2) {
            double mean = total / count;
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(sum / count);
        }
        return (long) ((1 - std) * NodeScore.MAX_NODE_SCORE);
    }

    private interface PerResource {
        long score(long requested, long capacity);
    }

    private static Function weighted(List<ResourceSpec> resources, PerResource perResource) {
        return (requested, allocatable) -> {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < requested.length; i++) {
                if (allocatable[i] == 0) {
                    continue;
                }
                long weight = resources.get(i).weight();
                nodeScore += perResource.score(requested[i], allocatable[i]) * weight;
                weightSum += weight;
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum;
        };
    }

    private static long brokenLinear(long[] utilizations, long[] scores, long utilization) {
        for (int i = 0; i < utilizations.length; i++) {
            if (utilization <= utilizations[i]) {
                if (i == 0) {
                    return scores[0];
                }
                return scores[i - 1] + (scores[i] - scores[i - 1]) * (utilization - utilizations[i - 1])
                        / (utilizations[i] - utilizations[i - 1]);
            }
        }
        return scores[scores.length - 1];
    }
}
