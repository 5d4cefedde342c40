package io.kube4j.scheduler.noderesources;

import static io.kube4j.scheduler.SchedulingFixtures.container;
import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
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
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.noderesources.NodeResourcesFitArgs.RequestedToCapacityRatioParam;
import io.kube4j.scheduler.noderesources.NodeResourcesFitArgs.ScoringStrategy;
import io.kube4j.scheduler.noderesources.NodeResourcesFitArgs.ScoringStrategyType;
import io.kube4j.scheduler.noderesources.NodeResourcesFitArgs.UtilizationShapePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestNodeResourcesFitPlugin {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final NodeResourcesFitPlugin plugin = new NodeResourcesFitPlugin(NodeResourcesFitArgs.defaults());

    @Test
    void podThatFitsPasses() {
        NodeInfo node = nodeInfo(node("n1", "4", "10"), onNode(pod("existing", "3", "5"), "n1"));

        assertThat(filter(plugin, pod("p", "1", "5"), node)).isEqualTo(Status.success());
    }

    @Test
    void insufficientCpuAndMemoryAreBothReported() {
        NodeInfo node = nodeInfo(node("n1", "4", "10"), onNode(pod("existing", "3", "5"), "n1"));

        assertThat(filter(plugin, pod("p", "2", "6"), node)).isEqualTo(Status.unschedulable("Insufficient cpu", "Insufficient memory"));
        assertThat(filter(plugin, pod("p", "1001m", "1"), node)).isEqualTo(Status.unschedulable("Insufficient cpu"));
    }

    @Test
    void tooManyPodsEvenWithoutRequests() {
        Node onePod = new NodeBuilder(node("n1", "4", "10")).editStatus().addToAllocatable("pods", new Quantity("1")).endStatus().build();
        NodeInfo full = nodeInfo(onePod, onNode(pod("existing"), "n1"));

        assertThat(filter(plugin, pod("p"), full)).isEqualTo(Status.unschedulable("Too many pods"));
        assertThat(filter(plugin, pod("p", "5", null), full)).isEqualTo(Status.unschedulable("Too many pods", "Insufficient cpu"));
    }

    @Test
    void podWithoutRequestsFitsAFullNode() {
        NodeInfo node = nodeInfo(node("n1", "4", "10"), onNode(pod("existing", "4", "10"), "n1"));

        assertThat(filter(plugin, pod("p"), node)).isEqualTo(Status.success());
    }

    @Test
    void initContainersAndOverheadCount() {
        NodeInfo node = nodeInfo(node("n1", "4", "10"), onNode(pod("existing", "2", null), "n1"));
        Pod bigInit = new PodBuilder(pod("p", "1", null)).editSpec().addToInitContainers(container("init", "3", null)).endSpec().build();
        Pod overhead = new PodBuilder(pod("p", "2", null)).editSpec().withOverhead(Map.of("cpu", new Quantity("1m"))).endSpec().build();

        assertThat(filter(plugin, bigInit, node)).isEqualTo(Status.unschedulable("Insufficient cpu"));
        assertThat(filter(plugin, overhead, node)).isEqualTo(Status.unschedulable("Insufficient cpu"));
        assertThat(filter(plugin, pod("p", "2", null), node)).isEqualTo(Status.success());
    }

    @Test
    void extendedAndStorageResourcesAreChecked() {
        Node node = new NodeBuilder(node("n1", "4", "10")).editStatus().addToAllocatable("example.com/gpu", new Quantity("2"))
                .addToAllocatable("ephemeral-storage", new Quantity("1Gi")).endStatus().build();
        Pod pod = withRequests(pod("p"), Map.of("example.com/gpu", "3", "hugepages-2Mi", "2Mi", "ephemeral-storage", "2Gi"));

        assertThat(filter(plugin, pod, nodeInfo(node))).isEqualTo(Status.unschedulable(
                "Insufficient ephemeral-storage", "Insufficient example.com/gpu", "Insufficient hugepages-2Mi"));
    }

    @Test
    void ignoredExtendedResourcesAreNotChecked() {
        Pod pod = withRequests(pod("p"), Map.of("example.com/gpu", "1", "hugepages-2Mi", "2Mi"));
        NodeInfo node = nodeInfo(node("n1", "4", "10"));

        NodeResourcesFitPlugin byName = new NodeResourcesFitPlugin(new NodeResourcesFitArgs(List.of("example.com/gpu"), null, null));
        NodeResourcesFitPlugin byGroup = new NodeResourcesFitPlugin(new NodeResourcesFitArgs(null, List.of("example.com"), null));
        NodeResourcesFitPlugin nativeNotIgnorable = new NodeResourcesFitPlugin(new NodeResourcesFitArgs(List.of("hugepages-2Mi"), null, null));

        assertThat(filter(byName, pod, node)).isEqualTo(Status.unschedulable("Insufficient hugepages-2Mi"));
        assertThat(filter(byGroup, pod, node)).isEqualTo(Status.unschedulable("Insufficient hugepages-2Mi"));
        assertThat(filter(nativeNotIgnorable, pod, node))
                .isEqualTo(Status.unschedulable("Insufficient example.com/gpu", "Insufficient hugepages-2Mi"));
    }

    @Test
    void filterWithoutPreFilterIsAnError() {
        assertThat(plugin.filter(new CycleState(), pod("p"), nodeInfo(node("n1", "1", "1"))).code()).isEqualTo(Status.Code.ERROR);
    }

    // The score tables below are kube-scheduler's own examples (least_allocated_test.go and friends).
    @Test
    void leastAllocatedPrefersTheEmptierNode() {
        assertThat(scores(plugin, pod3000m5000(), twoNodes())).containsExactly(37L, 50L);
    }

    @Test
    void leastAllocatedCountsExistingPods() {
        List<NodeInfo> nodes = snapshot(List.of(node("n1", "4", "10000"), node("n2", "6", "10000")),
                List.of(onNode(pod("existing", "3", "5000"), "n2")));

        assertThat(scores(plugin, pod3000m5000(), nodes)).containsExactly(37L, 0L);
    }

    @Test
    void leastAllocatedCountsMissingRequestsAsDefaults() {
        List<NodeInfo> nodes = snapshot(List.of(node("n1", "1", "1Gi"), node("n2", "1", "1Gi")),
                List.of(onNode(pod("no-requests"), "n2")));

        // The pod itself counts as 100m and 200Mi: n1 = (90 + 80) / 2; n2 adds another 100m/200Mi = (80 + 60) / 2.
        assertThat(scores(plugin, pod("p"), nodes)).containsExactly(85L, 70L);
    }

    @Test
    void mostAllocatedPrefersTheFullerNode() {
        NodeResourcesFitPlugin most = plugin(ScoringStrategyType.MOST_ALLOCATED, ResourceSpec.DEFAULT_RESOURCES, List.of());

        assertThat(scores(most, pod3000m5000(), twoNodes())).containsExactly(62L, 50L);
    }

    @Test
    void weightsWeighResources() {
        NodeResourcesFitPlugin most = plugin(ScoringStrategyType.MOST_ALLOCATED,
                List.of(new ResourceSpec("cpu", 2), new ResourceSpec("memory", 1)), List.of());

        assertThat(scores(most, pod3000m5000(), twoNodes())).containsExactly(66L, 50L);
    }

    @Test
    void requestedToCapacityRatioFollowsTheShapeAndRounds() {
        NodeResourcesFitPlugin packing = plugin(ScoringStrategyType.REQUESTED_TO_CAPACITY_RATIO, ResourceSpec.DEFAULT_RESOURCES,
                List.of(new UtilizationShapePoint(0, 0), new UtilizationShapePoint(100, 10)));
        NodeResourcesFitPlugin spreading = plugin(ScoringStrategyType.REQUESTED_TO_CAPACITY_RATIO, ResourceSpec.DEFAULT_RESOURCES,
                List.of(new UtilizationShapePoint(0, 10), new UtilizationShapePoint(100, 0)));
        NodeResourcesFitPlugin stepped = plugin(ScoringStrategyType.REQUESTED_TO_CAPACITY_RATIO, ResourceSpec.DEFAULT_RESOURCES,
                List.of(new UtilizationShapePoint(60, 2), new UtilizationShapePoint(80, 10)));

        assertThat(scores(packing, pod3000m5000(), twoNodes())).containsExactly(63L, 50L);
        assertThat(scores(spreading, pod3000m5000(), twoNodes())).containsExactly(38L, 50L);
        // cpu at 75% is between the points: 20 + (100 - 20) * 15 / 20 = 80; memory at 50% is below the first: 20.
        assertThat(scores(stepped, pod3000m5000(), twoNodes())).containsExactly(50L, 20L);
    }

    @Test
    void extendedResourcesAreScoredOnlyWhenRequested() {
        List<ResourceSpec> withGpu = List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1), new ResourceSpec("example.com/gpu", 3));
        NodeResourcesFitPlugin least = plugin(ScoringStrategyType.LEAST_ALLOCATED, withGpu, List.of());
        Node gpuNode = new NodeBuilder(node("n1", "4", "10000")).editStatus().addToAllocatable("example.com/gpu", new Quantity("4")).endStatus().build();

        assertThat(scores(least, pod3000m5000(), List.of(nodeInfo(gpuNode)))).containsExactly(37L);
        // (25 + 50 + 75 * 3) / 5
        assertThat(scores(least, withRequests(pod3000m5000(), Map.of("example.com/gpu", "1")), List.of(nodeInfo(gpuNode))))
                .containsExactly(60L);
    }

    @Test
    void argsDefaultsAreKubeSchedulers() {
        NodeResourcesFitArgs args = MAPPER.convertValue(Map.of(), NodeResourcesFitArgs.class);

        assertThat(args).isEqualTo(NodeResourcesFitArgs.defaults());
        assertThat(args.ignoredResources()).isEmpty();
        assertThat(args.ignoredResourceGroups()).isEmpty();
        assertThat(args.scoringStrategy().type()).isEqualTo(ScoringStrategyType.LEAST_ALLOCATED);
        assertThat(args.scoringStrategy().resources()).containsExactly(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));
    }

    @Test
    void argsMapEveryField() {
        NodeResourcesFitArgs args = MAPPER.convertValue(Map.of(
                "ignoredResources", List.of("example.com/a"),
                "ignoredResourceGroups", List.of("example.org"),
                "scoringStrategy", Map.of("type", "RequestedToCapacityRatio",
                        "resources", List.of(Map.of("name", "cpu", "weight", 3), Map.of("name", "memory")),
                        "requestedToCapacityRatio", Map.of("shape", List.of(Map.of("utilization", 0, "score", 0),
                                Map.of("utilization", 100, "score", 10))))), NodeResourcesFitArgs.class);

        assertThat(args).isEqualTo(new NodeResourcesFitArgs(List.of("example.com/a"), List.of("example.org"), new ScoringStrategy(
                ScoringStrategyType.REQUESTED_TO_CAPACITY_RATIO, List.of(new ResourceSpec("cpu", 3), new ResourceSpec("memory", 1)),
                new RequestedToCapacityRatioParam(List.of(new UtilizationShapePoint(0, 0), new UtilizationShapePoint(100, 10))))));
        assertThat(MAPPER.convertValue(Map.of("scoringStrategy", Map.of("type", "MostAllocated")), NodeResourcesFitArgs.class)
                .scoringStrategy().type()).isEqualTo(ScoringStrategyType.MOST_ALLOCATED);
    }

    @Test
    void invalidArgsAreRejected() {
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("scoringStrategy", Map.of("type", "RequestedToCapacityRatio")),
                NodeResourcesFitArgs.class)).hasMessageContaining("at least one point must be specified");
        assertThatThrownBy(() -> new ResourceSpec("cpu", 101)).hasMessageContaining("must be in [1, 100]");
        assertThatThrownBy(() -> new UtilizationShapePoint(50, 11)).hasMessageContaining("score must be in [0, 10]");
        assertThatThrownBy(() -> new RequestedToCapacityRatioParam(List.of(new UtilizationShapePoint(50, 1), new UtilizationShapePoint(50, 2))))
                .hasMessageContaining("shape[1].utilization must be greater");
        assertThatThrownBy(() -> new NodeResourcesFitArgs(null, List.of("example.com/x"), null))
                .hasMessageContaining("ignoredResourceGroups");
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("scoringStrategy", Map.of("resources", List.of(Map.of("name", "cpu")))),
                NodeResourcesFitArgs.class)).hasMessageContaining("scoringStrategy.type is required");
        assertThatThrownBy(() -> new ScoringStrategy(ScoringStrategyType.LEAST_ALLOCATED, null, new RequestedToCapacityRatioParam(null)))
                .hasMessageContaining("at least one point must be specified");
        assertThatThrownBy(() -> new NodeResourcesFitArgs(List.of("example.com/not valid"), null, null))
                .hasMessageContaining("ignoredResources: not a valid resource name");
        assertThat(new NodeResourcesFitArgs(List.of("example.com/gpu", "hugepages-2Mi"), List.of("example.com"), null).ignoredResources())
                .containsExactly("example.com/gpu", "hugepages-2Mi");
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("scoringStrategy", Map.of("type", "Bogus")), NodeResourcesFitArgs.class))
                .hasMessageContaining("Bogus");
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("ignoredResource", List.of()), NodeResourcesFitArgs.class))
                .hasMessageContaining("ignoredResource");
    }

    private static NodeResourcesFitPlugin plugin(ScoringStrategyType type, List<ResourceSpec> resources, List<UtilizationShapePoint> shape) {
        return new NodeResourcesFitPlugin(new NodeResourcesFitArgs(null, null,
                new ScoringStrategy(type, resources, shape.isEmpty() ? null : new RequestedToCapacityRatioParam(shape))));
    }

    private static List<NodeInfo> twoNodes() {
        return snapshot(List.of(node("n1", "4", "10000"), node("n2", "6", "10000")), List.of());
    }

    private static Pod pod3000m5000() {
        return new PodBuilder(pod("p", "1", "2000")).editSpec().addToContainers(container("b", "2", "3000")).endSpec().build();
    }

    static Pod withRequests(Pod pod, Map<String, String> requests) {
        PodBuilder builder = new PodBuilder(pod);
        requests.forEach((name, amount) -> builder.editSpec().editFirstContainer().editResources()
                .addToRequests(name, new Quantity(amount)).endResources().endContainer().endSpec());
        return builder.build();
    }

    private static Status filter(NodeResourcesFitPlugin plugin, Pod pod, NodeInfo node) {
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, pod)).isEqualTo(PreFilterResult.allNodes());
        return plugin.filter(state, pod, node);
    }

    private static List<Long> scores(NodeResourcesFitPlugin plugin, Pod pod, List<NodeInfo> nodes) {
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes)).isEqualTo(Status.success());
        List<Long> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            scores.add(plugin.score(state, pod, node));
        }
        return scores;
    }
}
