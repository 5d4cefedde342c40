package io.kube4j.samples.scheduling;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.ScorePlugin;
import java.util.Map;

/**
 * Scores {@link NodeScore#MAX_NODE_SCORE} on a node that has the label (with the value, if one is
 * configured), {@link NodeScore#MIN_NODE_SCORE} elsewhere. Already in range, so it needs no
 * normalization. Reads only the node in hand: no I/O, safe from many threads.
 */
final class PreferLabeledNodesPlugin implements ScorePlugin {
    private final PreferLabeledNodesArgs args;

    PreferLabeledNodesPlugin(PreferLabeledNodesArgs args) {
        this.args = requireNonNull(args, "args is null");
    }

    @Override
    public String name() {
        return PreferLabeledNodesFactory.NAME;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Map<String, String> labels = nodeInfo.node().getMetadata().getLabels();
        String value = labels == null ? null : labels.get(args.label());
        boolean preferred = value != null && (args.value().isEmpty() || args.value().equals(value));
        return preferred ? NodeScore.MAX_NODE_SCORE : NodeScore.MIN_NODE_SCORE;
    }
}
