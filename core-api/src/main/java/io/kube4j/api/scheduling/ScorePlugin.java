package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Ranks the nodes that passed filtering. The framework scores every feasible node with every
 * ScorePlugin, normalizes each plugin's scores ({@link ScoreExtensions}), multiplies them by the
 * plugin's weight from the profile, sums, and picks a node with the highest total.
 */
public interface ScorePlugin extends SchedulingPlugin {

    /**
     * How much the pod would like {@code nodeInfo}'s node: non-negative, higher is better; in
     * [{@link NodeScore#MIN_NODE_SCORE}, {@link NodeScore#MAX_NODE_SCORE}] unless this plugin
     * normalizes. Called concurrently for different nodes; no I/O. A failure is an exception
     * (the cycle ends with ERROR): a score has no "unschedulable".
     */
    long score(CycleState state, Pod pod, NodeInfo nodeInfo);

    /** The normalization this plugin needs; empty if its raw scores are already in range. Asked once, at startup. */
    default Optional<ScoreExtensions> scoreExtensions() {
        return Optional.empty();
    }
}
