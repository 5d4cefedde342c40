package io.kube4j.scheduler.podtopologyspread;

import static io.kube4j.scheduler.SchedulingFixtures.context;
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
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.SchedulingFixtures;
import io.kube4j.scheduler.noderesources.PodRequests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TestPodTopologySpreadPlugin {
    private static final String ZONE = PodTopologySpreadArgs.ZONE;
    private static final String HOSTNAME = PodTopologySpreadArgs.HOSTNAME;
    private static final Status OK = Status.success();
    private static final Status SKEW = Status.unschedulable(PodTopologySpreadPlugin.REASON_CONSTRAINTS);
    private static final Status MISSING = Status.unschedulableAndUnresolvable(PodTopologySpreadPlugin.REASON_MISSING_LABEL);

    // Zone z1 has n1 and n2, zone z2 has n3; n4 has no zone label.
    private static final List<Node> NODES = List.of(zoned("n1", "z1"), zoned("n2", "z1"), zoned("n3", "z2"), zoned("n4", null));

    record Case(String name, Pod pod, List<Node> nodes, List<Pod> existing, List<Status> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> filterCases() {
        Pod web = web("web");
        return Stream.of(
                new Case("maxSkew 1 across zones sends the pod to the emptier zone",
                        spread(web, hard(ZONE, 1, c -> c)), NODES, List.of(web("a", "n1"), web("b", "n2"), web("c", "n3")),
                        List.of(SKEW, SKEW, OK, MISSING)),
                new Case("maxSkew 2 tolerates one more",
                        spread(web, hard(ZONE, 2, c -> c)), NODES, List.of(web("a", "n1"), web("b", "n2"), web("c", "n3")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("hostname spreading counts each node as a domain",
                        spread(web, hard(HOSTNAME, 1, c -> c)), NODES, List.of(web("a", "n1")),
                        List.of(SKEW, OK, OK, OK)),
                new Case("below minDomains the global minimum is 0",
                        spread(web, hard(ZONE, 1, c -> c.withMinDomains(3))), NODES, List.of(web("a", "n1"), web("c", "n3")),
                        List.of(SKEW, SKEW, SKEW, MISSING)),
                new Case("with enough domains minDomains changes nothing",
                        spread(web, hard(ZONE, 1, c -> c.withMinDomains(2))), NODES, List.of(web("a", "n1"), web("c", "n3")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("a pod its selector does not match does not count itself",
                        spread(pod("other"), hard(ZONE, 1, c -> c)), NODES, List.of(web("a", "n1"), web("b", "n2"), web("c", "n3")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("pods of other namespaces are not counted",
                        spread(web, hard(ZONE, 1, c -> c)), NODES,
                        List.of(inNamespace(web("a", "n1"), "other"), inNamespace(web("b", "n2"), "other")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("nodeAffinityPolicy Honor counts only the nodes the pod may go to",
                        spread(withNodeSelector(web, ZONE, "z1"), hard(ZONE, 1, c -> c)), NODES, List.of(web("a", "n1")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("nodeAffinityPolicy Ignore counts every node",
                        spread(withNodeSelector(web, ZONE, "z1"), hard(ZONE, 1, c -> c.withNodeAffinityPolicy("Ignore"))), NODES,
                        List.of(web("a", "n1")), List.of(SKEW, SKEW, OK, MISSING)),
                new Case("nodeTaintsPolicy Ignore (the default) counts a tainted node",
                        spread(web, hard(ZONE, 1, c -> c)), tainted(NODES, "n3"), List.of(web("a", "n1")),
                        List.of(SKEW, SKEW, OK, MISSING)),
                new Case("nodeTaintsPolicy Honor leaves out nodes with untolerated taints",
                        spread(web, hard(ZONE, 1, c -> c.withNodeTaintsPolicy("Honor"))), tainted(NODES, "n3"), List.of(web("a", "n1")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("matchLabelKeys count only pods with the pod's own values",
                        spread(labelled(web, "version", "v2"), hard(ZONE, 1, c -> c.withMatchLabelKeys("version"))), NODES,
                        List.of(labelled(web("a", "n1"), "version", "v1"), labelled(web("b", "n2"), "version", "v1")),
                        List.of(OK, OK, OK, MISSING)),
                new Case("two constraints must both hold",
                        spread(web, hard(ZONE, 1, c -> c), hard(HOSTNAME, 1, c -> c)), NODES,
                        List.of(web("a", "n1"), web("c", "n3")), List.of(SKEW, OK, SKEW, MISSING)));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(Case c) {
        List<NodeInfo> nodes = snapshot(c.nodes(), c.existing());
        PodTopologySpreadPlugin plugin = plugin(PodTopologySpreadArgs.defaults(), nodes);
        CycleState state = new CycleState();

        assertThat(plugin.preFilter(state, c.pod())).isEqualTo(PreFilterResult.allNodes());
        assertThat(nodes.stream().map(node -> plugin.filter(state, c.pod(), node)).toList()).isEqualTo(c.expected());
    }

    @Test
    void podsWithoutHardConstraintsAreSkipped() {
        List<NodeInfo> nodes = snapshot(NODES, List.of());
        PodTopologySpreadPlugin plugin = plugin(PodTopologySpreadArgs.defaults(), nodes);

        assertThat(plugin.preFilter(new CycleState(), web("web")).status()).isEqualTo(Status.skip());
        assertThat(plugin.preFilter(new CycleState(), ownedByReplicaSet(web("web"))).status())
                .as("the system defaults are ScheduleAnyway").isEqualTo(Status.skip());
        assertThat(plugin.preFilter(new CycleState(), spread(web("web"), soft(ZONE, 1))).status()).isEqualTo(Status.skip());
        assertThat(plugin.preScore(new CycleState(), web("web"), nodes)).as("no owner, no default constraints").isEqualTo(Status.skip());
        assertThat(plugin.preScore(new CycleState(), spread(web("web"), hard(ZONE, 1, c -> c)), nodes)).isEqualTo(Status.skip());
    }

    @Test
    void preemptionWhatIfsAddAndRemovePodsOnACopy() {
        List<NodeInfo> nodes = snapshot(NODES, List.of(web("a", "n1"), web("b", "n2"), web("c", "n3")));
        PodTopologySpreadPlugin plugin = plugin(PodTopologySpreadArgs.defaults(), nodes);
        Pod pod = spread(web("web"), hard(ZONE, 1, c -> c));
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);

        CycleState withMoreInZ2 = state.copy();
        assertThat(plugin.addPod(withMoreInZ2, pod, PodRequests.podInfo(web("d", "n3")), nodes.get(2))).isEqualTo(OK);
        CycleState withoutOneInZ1 = state.copy();
        assertThat(plugin.removePod(withoutOneInZ1, pod, PodRequests.podInfo(web("a", "n1")), nodes.get(0))).isEqualTo(OK);

        assertThat(plugin.filter(withMoreInZ2, pod, nodes.get(0))).isEqualTo(OK);
        assertThat(plugin.filter(withoutOneInZ1, pod, nodes.get(1))).isEqualTo(OK);
        assertThat(plugin.filter(state, pod, nodes.get(0))).as("the original state is untouched").isEqualTo(SKEW);
        assertThat(plugin.filter(state, pod, nodes.get(1))).isEqualTo(SKEW);
    }

    @Test
    void scheduleAnywayPrefersTheLessSkewedZone() {
        Pod pod = spread(web("web"), soft(ZONE, 1));

        // Two zones: weight ln(4); z1 holds 2 matching pods → round(2 * 1.386) = 3, z2 0; n4 lacks the label and is not scored.
        assertThat(normalizedScores(PodTopologySpreadArgs.defaults(), pod, List.of(web("a", "n1"), web("b", "n1"))))
                .containsExactly(Map.entry("n1", 0L), Map.entry("n2", 0L), Map.entry("n3", 100L), Map.entry("n4", 0L));
    }

    @Test
    void systemDefaultsSpreadAWorkloadsPodsOverHostsAndZones() {
        Pod pod = ownedByReplicaSet(web("web"));

        // hostname (maxSkew 3, 4 nodes: ln 6) and zone (maxSkew 5, values z1, z2 and "" of n4: ln 5);
        // n1 holds 2: 2*1.79+2 + 2*1.61+4 = 13; n2: 2 + 7.22 = 9; n3: 2 + 4 = 6; n4 (no zone): 2.
        assertThat(normalizedScores(PodTopologySpreadArgs.defaults(), pod, List.of(web("a", "n1"), web("b", "n1"))))
                .containsExactly(Map.entry("n1", 15L), Map.entry("n2", 46L), Map.entry("n3", 69L), Map.entry("n4", 100L));
    }

    @Test
    void countsRememberedBetweenCyclesFollowTheNodesPods() {
        Pod pod = ownedByReplicaSet(web("web"));
        List<NodeInfo> before = snapshot(NODES, List.of(web("a", "n1"), web("b", "n1")));
        PodTopologySpreadPlugin plugin = plugin(PodTopologySpreadArgs.defaults(), before);
        CycleState first = new CycleState();
        assertThat(plugin.preScore(first, pod, before)).isEqualTo(OK);
        long twoPods = plugin.score(first, pod, before.getFirst());
        assertThat(plugin.score(first, pod, before.getFirst())).as("the same node, remembered").isEqualTo(twoPods);

        // The next cycle's snapshot: n1 has one more matching pod (a new pod list), n2 is unchanged.
        List<NodeInfo> after = snapshot(NODES, List.of(web("a", "n1"), web("b", "n1"), web("c", "n1")));
        CycleState second = new CycleState();
        assertThat(plugin.preScore(second, pod, after)).isEqualTo(OK);
        assertThat(plugin.score(second, pod, after.getFirst())).as("n1 counted again").isGreaterThan(twoPods);
        // Built on the same (first) snapshot, so that only what the first plugin remembers differs.
        PodTopologySpreadPlugin fresh = plugin(PodTopologySpreadArgs.defaults(), before);
        CycleState freshState = new CycleState();
        assertThat(fresh.preScore(freshState, pod, after)).isEqualTo(OK);
        assertThat(plugin.score(second, pod, after.getFirst())).as("as a plugin that remembers nothing")
                .isEqualTo(fresh.score(freshState, pod, after.getFirst()));
    }

    @Test
    void listDefaultsApplyTheProfilesConstraints() {
        PodTopologySpreadArgs args = new PodTopologySpreadArgs(List.of(new TopologySpreadConstraintBuilder().withTopologyKey(ZONE)
                .withMaxSkew(1).withWhenUnsatisfiable("DoNotSchedule").build()), PodTopologySpreadArgs.DefaultingType.LIST);
        List<NodeInfo> nodes = snapshot(NODES, List.of(web("a", "n1")));
        PodTopologySpreadPlugin plugin = plugin(args, nodes);
        Pod pod = ownedByReplicaSet(web("web"));
        CycleState state = new CycleState();

        assertThat(plugin.preFilter(state, pod)).isEqualTo(PreFilterResult.allNodes());
        assertThat(nodes.stream().map(node -> plugin.filter(state, pod, node)).toList()).containsExactly(SKEW, SKEW, OK, MISSING);
    }

    @Test
    void argsHaveKubeDefaultsAndChecks() {
        ObjectMapper mapper = new ObjectMapper();

        PodTopologySpreadArgs defaults = mapper.convertValue(Map.of(), PodTopologySpreadArgs.class);
        assertThat(defaults.defaultingType()).isEqualTo(PodTopologySpreadArgs.DefaultingType.SYSTEM);
        assertThat(defaults.effectiveDefaultConstraints()).extracting(TopologySpreadConstraint::getTopologyKey, TopologySpreadConstraint::getMaxSkew)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HOSTNAME, 3), org.assertj.core.groups.Tuple.tuple(ZONE, 5));
        PodTopologySpreadArgs list = mapper.convertValue(Map.of("defaultingType", "List", "defaultConstraints",
                List.of(Map.of("topologyKey", ZONE, "maxSkew", 2, "whenUnsatisfiable", "ScheduleAnyway"))), PodTopologySpreadArgs.class);
        assertThat(list.effectiveDefaultConstraints()).extracting(TopologySpreadConstraint::getMaxSkew).containsExactly(2);
        assertThatThrownBy(() -> new PodTopologySpreadArgs(list.defaultConstraints(), PodTopologySpreadArgs.DefaultingType.SYSTEM))
                .hasMessageContaining("System");
        assertThatThrownBy(() -> new PodTopologySpreadArgs(List.of(new TopologySpreadConstraintBuilder().withTopologyKey(ZONE).withMaxSkew(0)
                .withWhenUnsatisfiable("DoNotSchedule").withNewLabelSelector().endLabelSelector().build()),
                PodTopologySpreadArgs.DefaultingType.LIST))
                .hasMessageContaining("maxSkew").hasMessageContaining("labelSelector");
    }

    private static Map<String, Long> normalizedScores(PodTopologySpreadArgs args, Pod pod, List<Pod> existing) {
        List<NodeInfo> nodes = snapshot(NODES, existing);
        PodTopologySpreadPlugin plugin = plugin(args, nodes);
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes)).isEqualTo(OK);
        List<NodeScore> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            scores.add(new NodeScore(node.nodeName(), plugin.score(state, pod, node)));
        }
        Map<String, Long> normalized = new LinkedHashMap<>();
        plugin.normalizeScore(state, pod, scores).forEach(score -> normalized.put(score.name(), score.score()));
        return normalized;
    }

    private static PodTopologySpreadPlugin plugin(PodTopologySpreadArgs args, List<NodeInfo> nodes) {
        return new PodTopologySpreadPlugin(args, context(nodes));
    }

    static Node zoned(String name, String zone) {
        NodeBuilder builder = new NodeBuilder(SchedulingFixtures.node(name)).editMetadata().addToLabels(HOSTNAME, name).endMetadata();
        if (zone != null) {
            builder.editMetadata().addToLabels(ZONE, zone).endMetadata();
        }
        return builder.build();
    }

    static List<Node> tainted(List<Node> nodes, String name) {
        return nodes.stream().map(node -> !node.getMetadata().getName().equals(name) ? node : new NodeBuilder(node).editSpec()
                .addNewTaint().withKey("dedicated").withValue("x").withEffect("NoSchedule").endTaint().endSpec().build()).toList();
    }

    static Pod web(String name) {
        return labelled(pod(name), "app", "web");
    }

    static Pod web(String name, String nodeName) {
        return onNode(web(name), nodeName);
    }

    static Pod labelled(Pod pod, String key, String value) {
        return new PodBuilder(pod).editMetadata().addToLabels(key, value).endMetadata().build();
    }

    static Pod inNamespace(Pod pod, String namespace) {
        return new PodBuilder(pod).editMetadata().withNamespace(namespace).endMetadata().build();
    }

    static Pod withNodeSelector(Pod pod, String key, String value) {
        return new PodBuilder(pod).editSpec().addToNodeSelector(key, value).endSpec().build();
    }

    static Pod ownedByReplicaSet(Pod pod) {
        return new PodBuilder(pod).editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("web-abc").withUid("rs-uid").withController(true).endOwnerReference().endMetadata().build();
    }

    static TopologySpreadConstraint hard(String key, int maxSkew, UnaryOperator<TopologySpreadConstraintBuilder> more) {
        return more.apply(new TopologySpreadConstraintBuilder().withTopologyKey(key).withMaxSkew(maxSkew)
                .withWhenUnsatisfiable("DoNotSchedule").withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector()).build();
    }

    static TopologySpreadConstraint soft(String key, int maxSkew) {
        return new TopologySpreadConstraintBuilder(hard(key, maxSkew, c -> c)).withWhenUnsatisfiable("ScheduleAnyway").build();
    }

    static Pod spread(Pod pod, TopologySpreadConstraint... constraints) {
        return new PodBuilder(pod).editSpec().withTopologySpreadConstraints(constraints).endSpec().build();
    }
}
