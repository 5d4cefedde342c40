package io.kube4j.samples.scheduling;

/**
 * Args of {@code PreferLabeledNodes}: {@code pluginConfig: [{name: PreferLabeledNodes, args: {label: ..., value: ...}}]}.
 *
 * @param label the node label that makes a node preferred; required
 * @param value the value the label must have; empty (the default): any value
 */
public record PreferLabeledNodesArgs(String label, String value) {

    public PreferLabeledNodesArgs {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label is required: the node label that makes a node preferred");
        }
        value = value == null ? "" : value;
    }
}
