package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** A ScorePlugin's normalization step, run once per cycle after all its scores are in. */
public interface ScoreExtensions {

    /**
     * Maps this plugin's raw scores into [{@link NodeScore#MIN_NODE_SCORE},
     * {@link NodeScore#MAX_NODE_SCORE}]. Returns the same nodes in the same order; the framework
     * checks both and the range (a violation is an ERROR naming the plugin). No I/O; scheduling thread.
     */
    List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores);

    /**
     * The usual normalization: scales so that the highest raw score becomes
     * {@link NodeScore#MAX_NODE_SCORE} (all stay 0 if all are 0); with {@code reverse}, the
     * highest becomes 0 and the lowest the highest, for "less is better" scores.
     */
    static List<NodeScore> defaultNormalize(List<NodeScore> scores, boolean reverse) {
        long max = 0;
        for (NodeScore score : scores) {
            max = Math.max(max, score.score());
        }
        List<NodeScore> normalized = new ArrayList<>(scores.size());
        for (NodeScore score : scores) {
            long scaled = max == 0 ? 0 : Math.multiplyExact(score.score(), NodeScore.MAX_NODE_SCORE) / max;
            if (reverse) {
                scaled = max == 0 ? NodeScore.MAX_NODE_SCORE : NodeScore.MAX_NODE_SCORE - scaled;
            }
            normalized.add(new NodeScore(score.name(), scaled));
        }
        return List.copyOf(normalized);
    }
}
