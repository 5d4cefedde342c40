package io.kube4j.scheduler;

import static io.kube4j.scheduler.SchedulingFixtures.MIB;
import static io.kube4j.scheduler.SchedulingFixtures.context;
import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plugins together, in a minimal stand-in for the scheduler's cycle with kube-scheduler's
 * default filters and score weights: PreFilter → Filter → PreScore → Score → normalize → weighted sum.
 */
class TestDefaultProfileScoring {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FILTERS = List.of("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
            "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity");
    private static final Map<String, Integer> SCORE_WEIGHTS = weights();

    private static final Node NODE_A = new NodeBuilder(node("node-a", "4", "8Gi")).editSpec().addNewTaint()
            .withKey("dedicated").withValue("batch").withEffect("PreferNoSchedule").endTaint().endSpec().build();
    private static final Node NODE_B = new NodeBuilder(node("node-b", "4", "8Gi")).editMetadata().addToLabels("zone", "z1")
            .endMetadata().build();
    private static final Node NODE_C = new NodeBuilder(node("node-c", "4", "8Gi")).editMetadata().addToLabels("zone", "z2")
            .endMetadata().editStatus().addNewImage().withNames("registry.example/app:v1").withSizeBytes(500 * MIB).endImage()
            .endStatus().build();
    private static final Pod EXISTING = onNode(pod("existing", "2", "4Gi"), "node-b");

    // Prefers zone z1 (weight 10), runs registry.example/app:v1, requests 1 CPU and 2Gi.
    private static final Pod POD = new PodBuilder(pod("app", "1", "2Gi")).editSpec().withNewAffinity().withNewNodeAffinity()
            .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10).withNewPreference().addNewMatchExpression()
            .withKey("zone").withOperator("In").withValues("z1").endMatchExpression().endPreference()
            .endPreferredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();

    @Test
    void affinityAndTaintOutweighTheLoadOnTheBusierNode() {
        Result result = schedule(POD, snapshot(List.of(NODE_A, NODE_B, NODE_C), List.of(EXISTING)));

        // TaintToleration x3: 0 / 100 / 100; NodeAffinity x2: 0 / 100 / 0; NodeResourcesFit (LeastAllocated): 75 / 25 / 75;
        // BalancedAllocation: 100 everywhere; ImageLocality: 0 / 0 / 100 * (500/3 - 23) / 977 = 14.
        assertThat(result.totals()).containsExactly(Map.entry("node-a", 175L), Map.entry("node-b", 625L), Map.entry("node-c", 489L));
        assertThat(result.chosen()).isEqualTo("node-b");
    }

    @Test
    void filteredNodeIsNotScored() {
        Node noScheduleB = new NodeBuilder(NODE_B).editSpec().addNewTaint().withKey("maintenance").withEffect("NoSchedule")
                .endTaint().endSpec().build();

        Result result = schedule(POD, snapshot(List.of(NODE_A, noScheduleB, NODE_C), List.of(EXISTING)));

        assertThat(result.filtered()).containsExactly(Map.entry("node-b",
                Status.unschedulableAndUnresolvable("node(s) had untolerated taint {maintenance: }")));
        assertThat(result.totals()).containsExactly(Map.entry("node-a", 175L), Map.entry("node-c", 489L));
        assertThat(result.chosen()).isEqualTo("node-c");
    }

    @Test
    void podThatFitsNowhereHasEveryNodesReason() {
        Pod huge = pod("huge", "5", null);

        Result result = schedule(huge, snapshot(List.of(NODE_A, NODE_B, NODE_C), List.of(EXISTING)));

        assertThat(result.chosen()).isNull();
        assertThat(result.filtered().values()).containsOnly(Status.unschedulable("Insufficient cpu"));
        assertThat(result.filtered()).hasSize(3);
    }

    @Test
    void requiredPodAffinityOverridesEveryPreference() {
        Pod cache = onNode(new PodBuilder(pod("cache")).editMetadata().addToLabels("app", "cache").endMetadata().build(), "node-c");
        Pod nearCache = new PodBuilder(POD).editSpec().editAffinity().withNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("zone").withNewLabelSelector()
                .addToMatchLabels("app", "cache").endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity().endAffinity().endSpec().build();

        Result result = schedule(nearCache, snapshot(List.of(NODE_A, NODE_B, NODE_C), List.of(EXISTING, cache)));

        Status affinity = Status.unschedulableAndUnresolvable("node(s) didn't match pod affinity rules");
        assertThat(result.filtered()).containsExactly(Map.entry("node-a", affinity), Map.entry("node-b", affinity));
        assertThat(result.chosen()).isEqualTo("node-c");
    }

    @Test
    void softTopologySpreadOutweighsTheAffinityForABusyZone() {
        Pod web1 = onNode(new PodBuilder(pod("web-1")).editMetadata().addToLabels("app", "web").endMetadata().build(), "node-b");
        Pod web2 = onNode(new PodBuilder(pod("web-2")).editMetadata().addToLabels("app", "web").endMetadata().build(), "node-b");
        Pod web = new PodBuilder(POD).editMetadata().addToLabels("app", "web").endMetadata().build();
        Pod spreadWeb = new PodBuilder(web).editSpec().addNewTopologySpreadConstraint().withTopologyKey("zone").withMaxSkew(1)
                .withWhenUnsatisfiable("ScheduleAnyway").withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector()
                .endTopologySpreadConstraint().endSpec().build();
        List<NodeInfo> nodes = snapshot(List.of(NODE_A, NODE_B, NODE_C), List.of(EXISTING, web1, web2));

        Result unconstrained = schedule(web, nodes);
        Result spread = schedule(spreadWeb, nodes);

        // PodTopologySpread x2: node-a has no zone (0), node-b's zone holds 2 matching pods (0), node-c's none (100).
        assertThat(unconstrained.chosen()).isEqualTo("node-b");
        assertThat(spread.totals().get("node-c") - unconstrained.totals().get("node-c")).isEqualTo(200);
        assertThat(spread.totals().get("node-b")).isEqualTo(unconstrained.totals().get("node-b"));
        assertThat(spread.chosen()).isEqualTo("node-c");
    }

    record Result(Map<String, Status> filtered, Map<String, Long> totals, String chosen) {
    }

    private static Result schedule(Pod pod, List<NodeInfo> nodes) {
        SchedulingContext context = context(nodes);
        Map<String, SchedulingPlugin> plugins = new LinkedHashMap<>();
        for (String name : concat(FILTERS, List.copyOf(SCORE_WEIGHTS.keySet()))) {
            plugins.computeIfAbsent(name, key -> create(key, context));
        }
        CycleState state = new CycleState();

        Set<String> skipped = new HashSet<>();
        PreFilterResult candidates = PreFilterResult.allNodes();
        for (String name : FILTERS) {
            if (plugins.get(name) instanceof PreFilterPlugin preFilter) {
                PreFilterResult result = preFilter.preFilter(state, pod);
                if (result.status().isSkip()) {
                    skipped.add(name);
                    continue;
                }
                assertThat(result.status().isSuccess()).as(name).isTrue();
                candidates = candidates.merge(result);
            }
        }

        Map<String, Status> filtered = new LinkedHashMap<>();
        List<NodeInfo> feasible = new ArrayList<>();
        for (NodeInfo node : nodes) {
            if (!candidates.isAllNodes() && !candidates.nodeNames().orElseThrow().contains(node.nodeName())) {
                continue;
            }
            Status status = Status.success();
            for (String name : FILTERS) {
                if (!skipped.contains(name)) {
                    status = ((FilterPlugin) plugins.get(name)).filter(state, pod, node);
                    if (!status.isSuccess()) {
                        break;
                    }
                }
            }
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                filtered.put(node.nodeName(), status);
            }
        }
        if (feasible.isEmpty()) {
            return new Result(filtered, Map.of(), null);
        }

        Map<String, Long> totals = new LinkedHashMap<>();
        feasible.forEach(node -> totals.put(node.nodeName(), 0L));
        for (Map.Entry<String, Integer> weighted : SCORE_WEIGHTS.entrySet()) {
            ScorePlugin plugin = (ScorePlugin) plugins.get(weighted.getKey());
            if (plugin instanceof PreScorePlugin preScore && preScore.preScore(state, pod, feasible).isSkip()) {
                continue;
            }
            List<NodeScore> scores = new ArrayList<>();
            for (NodeInfo node : feasible) {
                scores.add(new NodeScore(node.nodeName(), plugin.score(state, pod, node)));
            }
            List<NodeScore> normalized = plugin.scoreExtensions().map(extensions -> extensions.normalizeScore(state, pod, scores))
                    .orElse(scores);
            for (NodeScore score : normalized) {
                assertThat(score.isNormalized()).as(weighted.getKey()).isTrue();
                totals.merge(score.name(), score.score() * weighted.getValue(), Long::sum);
            }
        }
        String chosen = null;
        for (Map.Entry<String, Long> total : totals.entrySet()) {
            if (chosen == null || total.getValue() > totals.get(chosen)) {
                chosen = total.getKey();
            }
        }
        return new Result(filtered, totals, chosen);
    }

    @SuppressWarnings("unchecked")
    private static SchedulingPlugin create(String name, SchedulingContext context) {
        SchedulingPluginFactory<Object> factory = TestSchedulingPluginFactories.factories().get(name);
        return factory.create(MAPPER.convertValue(Map.of(), factory.configType()), context);
    }

    private static Map<String, Integer> weights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("TaintToleration", 3);
        weights.put("NodeAffinity", 2);
        weights.put("NodeResourcesFit", 1);
        weights.put("PodTopologySpread", 2);
        weights.put("InterPodAffinity", 2);
        weights.put("NodeResourcesBalancedAllocation", 1);
        weights.put("ImageLocality", 1);
        return weights;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
