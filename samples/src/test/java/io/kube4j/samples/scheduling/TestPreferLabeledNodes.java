package io.kube4j.samples.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Smoke test: the factory is found by name through ServiceLoader and its plugin scores labelled nodes. */
class TestPreferLabeledNodes {

    @Test
    @SuppressWarnings("unchecked")
    void foundByNameAndScoresNodesWithTheLabel() {
        SchedulingPluginFactory<PreferLabeledNodesArgs> factory = ServiceLoader.load(SchedulingPluginFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.name().equals(PreferLabeledNodesFactory.NAME))
                .map(f -> (SchedulingPluginFactory<PreferLabeledNodesArgs>) f).findFirst().orElseThrow();
        assertThat(factory.configType()).isEqualTo(PreferLabeledNodesArgs.class);
        ScorePlugin plugin = (ScorePlugin) factory.create(new PreferLabeledNodesArgs("disktype", "ssd"), null);
        assertThat(plugin.name()).isEqualTo("PreferLabeledNodes");
        assertThat(plugin.score(new CycleState(), new Pod(), node(Map.of("disktype", "ssd")))).isEqualTo(100);
        assertThat(plugin.score(new CycleState(), new Pod(), node(Map.of("disktype", "hdd")))).isZero();
        assertThat(plugin.score(new CycleState(), new Pod(), node(Map.of()))).isZero();

        ScorePlugin anyValue = (ScorePlugin) factory.create(new PreferLabeledNodesArgs("disktype", null), null);
        assertThat(anyValue.score(new CycleState(), new Pod(), node(Map.of("disktype", "hdd")))).isEqualTo(100);
    }

    @Test
    void labelIsRequired() {
        assertThatThrownBy(() -> new PreferLabeledNodesArgs(" ", "x")).hasMessageContaining("label is required");
    }

    private static NodeInfo node(Map<String, String> labels) {
        Node node = new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).endMetadata().build();
        return NodeInfo.of(node, Resources.ZERO, Map.of());
    }
}
