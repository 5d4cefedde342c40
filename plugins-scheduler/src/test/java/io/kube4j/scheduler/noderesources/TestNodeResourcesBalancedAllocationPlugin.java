package io.kube4j.scheduler.noderesources;

import static io.kube4j.scheduler.SchedulingFixtures.container;
import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestNodeResourcesBalancedAllocationPlugin {
    private final NodeResourcesBalancedAllocationPlugin plugin =
            new NodeResourcesBalancedAllocationPlugin(NodeResourcesBalancedAllocationArgs.defaults());

    @Test
    void evenFractionsScoreHigher() {
        // n1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5, std 0.125; n2: 0.5 and 0.5.
        List<NodeInfo> nodes = snapshot(List.of(node("n1", "4", "10000"), node("n2", "6", "10000")), List.of());

        assertThat(scores(pod3000m5000(), nodes)).containsExactly(87L, 100L);
    }

    @Test
    void existingPodsCountWithTheirActualRequests() {
        // A pod without requests adds nothing here, unlike the non-zero defaults NodeResourcesFit scores with.
        List<NodeInfo> nodes = snapshot(List.of(node("n1", "4", "10000"), node("n2", "6", "10000")),
                List.of(onNode(pod("best-effort"), "n1"), onNode(pod("existing", "3", "0"), "n2")));

        assertThat(scores(pod3000m5000(), nodes)).containsExactly(87L, 75L);
    }

    @Test
    void fractionsAreCappedAtOne() {
        List<NodeInfo> nodes = snapshot(List.of(node("n1", "1", "10000")), List.of());

        assertThat(scores(pod3000m5000(), nodes)).containsExactly(75L);
    }

    @Test
    void moreThanTwoResourcesUseTheStandardDeviation() {
        NodeResourcesBalancedAllocationPlugin three = new NodeResourcesBalancedAllocationPlugin(new NodeResourcesBalancedAllocationArgs(
                List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1), new ResourceSpec("ephemeral-storage", 1))));
        Node node = new NodeBuilder(node("n1", "4", "10000")).editStatus().addToAllocatable("ephemeral-storage", new Quantity("1000")).endStatus().build();
        Pod pod = new PodBuilder(pod3000m5000()).editSpec().editFirstContainer().editResources()
                .addToRequests("ephemeral-storage", new Quantity("100")).endResources().endContainer().endSpec().build();

        // Fractions 0.75, 0.5, 0.1: mean 0.45, std sqrt(0.215 / 3) = 0.2677.
        assertThat(scores(three, pod, snapshot(List.of(node), List.of()))).containsExactly(73L);
    }

    @Test
    void bestEffortPodIsSkipped() {
        assertThat(plugin.preScore(new CycleState(), pod("p"), List.of())).isEqualTo(Status.skip());
    }

    @Test
    void argsDefaultToCpuAndMemoryAndNeedWeightOne() {
        ObjectMapper mapper = new ObjectMapper();

        assertThat(mapper.convertValue(Map.of(), NodeResourcesBalancedAllocationArgs.class).resources())
                .containsExactly(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));
        assertThat(mapper.convertValue(Map.of("resources", List.of(Map.of("name", "example.com/gpu"))),
                NodeResourcesBalancedAllocationArgs.class).resources()).containsExactly(new ResourceSpec("example.com/gpu", 1));
        assertThatThrownBy(() -> new NodeResourcesBalancedAllocationArgs(List.of(new ResourceSpec("cpu", 2))))
                .hasMessageContaining("must be 1");
        assertThatThrownBy(() -> new NodeResourcesBalancedAllocationArgs(List.of(new ResourceSpec("cpu", 1), new ResourceSpec("cpu", 1))))
                .hasMessageContaining("duplicate resource name cpu");
    }

    private List<Long> scores(Pod pod, List<NodeInfo> nodes) {
        return scores(plugin, pod, nodes);
    }

    private static List<Long> scores(NodeResourcesBalancedAllocationPlugin plugin, Pod pod, List<NodeInfo> nodes) {
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes)).isEqualTo(Status.success());
        List<Long> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            scores.add(plugin.score(state, pod, node));
        }
        return scores;
    }

    private static Pod pod3000m5000() {
        return new PodBuilder(pod("p", "1", "2000")).editSpec().addToContainers(container("b", "2", "3000")).endSpec().build();
    }
}
