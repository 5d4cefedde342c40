package io.kube4j.scheduler.noderesources;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Args of {@code NodeResourcesFit}, as kube-scheduler's {@code NodeResourcesFitArgs}. Absent
 * fields take kube's defaults: nothing ignored, {@code LeastAllocated} over cpu and memory, a
 * resource weight of 0 meaning 1.
 *
 * @param ignoredResources extended resources Filter does not check ({@code example.com/foo})
 * @param ignoredResourceGroups extended resource groups Filter does not check: the part before the
 *        slash ({@code example.com} ignores {@code example.com/foo} and {@code example.com/bar})
 * @param scoringStrategy how Score ranks nodes
 */
public record NodeResourcesFitArgs(List<String> ignoredResources, List<String> ignoredResourceGroups,
                                   ScoringStrategy scoringStrategy) {

    // A label name: an optional DNS subdomain prefix and '/', then 1..63 alphanumerics, '-', '_' or '.'.
    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public NodeResourcesFitArgs {
        ignoredResources = ignoredResources == null ? List.of() : List.copyOf(ignoredResources);
        ignoredResourceGroups = ignoredResourceGroups == null ? List.of() : List.copyOf(ignoredResourceGroups);
        for (String group : ignoredResourceGroups) {
            if (group.contains("/")) {
                throw new IllegalArgumentException("ignoredResourceGroups: resource group name can't contain '/': " + group);
            }
            checkQualifiedName("ignoredResourceGroups", group);
        }
        for (String resource : ignoredResources) {
            checkQualifiedName("ignoredResources", resource);
        }
        scoringStrategy = scoringStrategy == null ? ScoringStrategy.DEFAULT : scoringStrategy;
    }

    private static void checkQualifiedName(String key, String name) {
        if (name == null || !QUALIFIED_NAME.matcher(name).matches() || name.indexOf('/') > 253) {
            throw new IllegalArgumentException(key + ": not a valid resource name: " + name);
        }
    }

    /** All defaults. */
    public static NodeResourcesFitArgs defaults() {
        return new NodeResourcesFitArgs(null, null, null);
    }

    /** How Score turns requested/allocatable into a node score. */
    public enum ScoringStrategyType {
        /** Prefer the emptiest nodes: score = (allocatable - requested) / allocatable, spreading pods. */
        @JsonProperty("LeastAllocated") LEAST_ALLOCATED,
        /** Prefer the fullest nodes: score = requested / allocatable, bin packing. */
        @JsonProperty("MostAllocated") MOST_ALLOCATED,
        /** Score from a piecewise linear function of the utilization ({@code shape}). */
        @JsonProperty("RequestedToCapacityRatio") REQUESTED_TO_CAPACITY_RATIO
    }

    /**
     * @param type the strategy; required when a scoring strategy is given at all, as in kube
     * @param resources the resources scored, with weights; cpu and memory with weight 1 when absent
     * @param requestedToCapacityRatio the shape, only for {@code RequestedToCapacityRatio}; when
     *        given, its shape must have at least one point whatever the type
     */
    public record ScoringStrategy(ScoringStrategyType type, List<ResourceSpec> resources,
                                  RequestedToCapacityRatioParam requestedToCapacityRatio) {

        /** The strategy when the args have none: LeastAllocated over cpu and memory. */
        public static final ScoringStrategy DEFAULT = new ScoringStrategy(ScoringStrategyType.LEAST_ALLOCATED, null, null);

        public ScoringStrategy {
            if (type == null) {
                throw new IllegalArgumentException(
                        "scoringStrategy.type is required: LeastAllocated, MostAllocated or RequestedToCapacityRatio");
            }
            resources = ResourceSpec.orDefault(resources);
            if (requestedToCapacityRatio != null || type == ScoringStrategyType.REQUESTED_TO_CAPACITY_RATIO) {
                if (requestedToCapacityRatio == null || requestedToCapacityRatio.shape().isEmpty()) {
                    throw new IllegalArgumentException(
                            "scoringStrategy.requestedToCapacityRatio.shape: at least one point must be specified");
                }
            } else {
                requestedToCapacityRatio = new RequestedToCapacityRatioParam(List.of());
            }
        }
    }

    /** @param shape points of increasing utilization; between them the score is interpolated */
    public record RequestedToCapacityRatioParam(List<UtilizationShapePoint> shape) {
        public RequestedToCapacityRatioParam {
            shape = shape == null ? List.of() : List.copyOf(shape);
            for (int i = 1; i < shape.size(); i++) {
                if (shape.get(i).utilization() <= shape.get(i - 1).utilization()) {
                    throw new IllegalArgumentException("requestedToCapacityRatio.shape[" + i
                            + "].utilization must be greater than the one before it: " + shape.get(i).utilization());
                }
            }
        }
    }

    /**
     * @param utilization percent of the resource requested, 0..100
     * @param score the score at that utilization, 0..10 (scaled to 0..100 when scoring)
     */
    public record UtilizationShapePoint(int utilization, int score) {
        public UtilizationShapePoint {
            if (utilization < 0 || utilization > 100) {
                throw new IllegalArgumentException("shape[].utilization must be in [0, 100]: " + utilization);
            }
            if (score < 0 || score > 10) {
                throw new IllegalArgumentException("shape[].score must be in [0, 10]: " + score);
            }
        }
    }
}
