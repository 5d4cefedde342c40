package io.kube4j.scheduler.nodeaffinity;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestNodeAffinityPlugin {
    private static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    private final NodeAffinityPlugin plugin = new NodeAffinityPlugin(NodeAffinityArgs.defaults());

    @Test
    void podWithoutConstraintsIsSkipped() {
        assertThat(plugin.preFilter(new CycleState(), pod("p"))).isEqualTo(PreFilterResult.of(Status.skip()));
        assertThat(plugin.preScore(new CycleState(), pod("p"), List.of())).isEqualTo(Status.skip());
    }

    @Test
    void nodeSelectorNeedsEveryLabel() {
        Pod pod = new PodBuilder(pod("p")).editSpec().addToNodeSelector("zone", "a").addToNodeSelector("disk", "ssd").endSpec().build();

        assertThat(filter(pod, labelled("n", Map.of("zone", "a", "disk", "ssd", "extra", "x")))).isEqualTo(Status.success());
        assertThat(filter(pod, labelled("n", Map.of("zone", "a")))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
        assertThat(filter(pod, labelled("n", Map.of("zone", "b", "disk", "ssd")))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
    }

    @Test
    void operatorsMatchAsLabelSelectors() {
        Node node = labelled("n", Map.of("zone", "a", "gen", "5")).node();

        assertThat(matches(node, expression("zone", "In", "a", "b"))).isTrue();
        assertThat(matches(node, expression("zone", "In", "b"))).isFalse();
        assertThat(matches(node, expression("zone", "NotIn", "b"))).isTrue();
        assertThat(matches(node, expression("missing", "NotIn", "b"))).isTrue();
        assertThat(matches(node, expression("zone", "Exists"))).isTrue();
        assertThat(matches(node, expression("missing", "Exists"))).isFalse();
        assertThat(matches(node, expression("missing", "DoesNotExist"))).isTrue();
        assertThat(matches(node, expression("gen", "Gt", "4"))).isTrue();
        assertThat(matches(node, expression("gen", "Gt", "5"))).isFalse();
        assertThat(matches(node, expression("gen", "Lt", "6"))).isTrue();
        assertThat(matches(node, expression("zone", "Lt", "6"))).isFalse();
        assertThat(matches(node, expression("missing", "Lt", "6"))).isFalse();
    }

    @Test
    void invalidRequirementsMatchNothing() {
        Node node = labelled("n", Map.of("zone", "a", "gen", "5")).node();

        assertThat(matches(node, expression("zone", "In"))).isFalse();
        assertThat(matches(node, expression("zone", "Exists", "a"))).isFalse();
        assertThat(matches(node, expression("gen", "Gt", "x"))).isFalse();
        assertThat(matches(node, expression("gen", "Gt", "1", "2"))).isFalse();
        assertThat(matches(node, expression("zone", "Equals", "a"))).isFalse();
    }

    @Test
    void requirementsOfATermAreAndedAndTermsOred() {
        Node node = labelled("n", Map.of("zone", "a", "disk", "ssd")).node();
        NodeSelectorTerm both = new NodeSelectorTermBuilder()
                .addToMatchExpressions(expression("zone", "In", "a"), expression("disk", "In", "hdd")).build();
        NodeSelectorTerm other = new NodeSelectorTermBuilder().addToMatchExpressions(expression("disk", "In", "ssd")).build();

        assertThat(filter(required(both), nodeInfo(node)).code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(filter(required(both, other), nodeInfo(node))).isEqualTo(Status.success());
        assertThat(filter(required(new NodeSelectorTerm()), nodeInfo(node))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
        assertThat(filter(required(), nodeInfo(node))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
    }

    @Test
    void nodeSelectorAndAffinityMustBothMatch() {
        Pod pod = new PodBuilder(required(term(expression("zone", "In", "a")))).editSpec().addToNodeSelector("disk", "ssd").endSpec().build();

        assertThat(filter(pod, labelled("n", Map.of("zone", "a", "disk", "ssd")))).isEqualTo(Status.success());
        assertThat(filter(pod, labelled("n", Map.of("zone", "a")))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
        assertThat(filter(pod, labelled("n", Map.of("disk", "ssd")))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
    }

    @Test
    void matchFieldsSelectByNodeName() {
        Pod pod = required(new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "In", "n1")).build());

        assertThat(plugin.filter(new CycleState(), pod, nodeInfo(node("n1")))).isEqualTo(Status.success());
        assertThat(plugin.filter(new CycleState(), pod, nodeInfo(node("n2")))).isEqualTo(Status.unschedulableAndUnresolvable(REASON));
        Pod notIn = required(new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "NotIn", "n1")).build());
        assertThat(plugin.filter(new CycleState(), notIn, nodeInfo(node("n2")))).isEqualTo(Status.success());
    }

    @Test
    void preFilterNarrowsToTheNodesNamedByEveryTerm() {
        Pod pod = required(
                new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "In", "n1", "n2"))
                        .addToMatchFields(expression("metadata.name", "In", "n2", "n3")).build(),
                new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "In", "n4"))
                        .addToMatchExpressions(expression("zone", "In", "a")).build());

        assertThat(plugin.preFilter(new CycleState(), pod)).isEqualTo(PreFilterResult.only(Set.of("n2", "n4")));
    }

    @Test
    void preFilterKeepsAllNodesWhenATermDoesNotNameNodes() {
        Pod pod = required(
                new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "In", "n1")).build(),
                term(expression("zone", "In", "a")));

        assertThat(plugin.preFilter(new CycleState(), pod)).isEqualTo(PreFilterResult.allNodes());
        assertThat(plugin.preFilter(new CycleState(), new PodBuilder(pod("p")).editSpec().addToNodeSelector("a", "b").endSpec().build()))
                .isEqualTo(PreFilterResult.allNodes());
    }

    @Test
    void conflictingNodeNamesMakeThePodUnschedulable() {
        Pod pod = required(new NodeSelectorTermBuilder().addToMatchFields(expression("metadata.name", "In", "n1"))
                .addToMatchFields(expression("metadata.name", "In", "n2")).build());

        assertThat(plugin.preFilter(new CycleState(), pod))
                .isEqualTo(PreFilterResult.of(Status.unschedulableAndUnresolvable("pod affinity terms conflict")));
    }

    @Test
    void addedAffinityIsEnforcedOnEveryPod() {
        NodeAffinity added = new NodeAffinityBuilder().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addToNodeSelectorTerms(term(expression("pool", "In", "general"))).endRequiredDuringSchedulingIgnoredDuringExecution()
                .build();
        NodeAffinityPlugin enforcing = new NodeAffinityPlugin(new NodeAffinityArgs(added));
        CycleState state = new CycleState();

        assertThat(enforcing.preFilter(state, pod("p"))).isEqualTo(PreFilterResult.allNodes());
        assertThat(enforcing.filter(state, pod("p"), labelled("n", Map.of("pool", "general")))).isEqualTo(Status.success());
        assertThat(enforcing.filter(state, pod("p"), labelled("n", Map.of("pool", "gpu"))))
                .isEqualTo(Status.unschedulableAndUnresolvable("node(s) didn't match scheduler-enforced node affinity"));
    }

    @Test
    void scoreSumsTheWeightsOfMatchingPreferredTermsAndNormalizes() {
        Pod pod = preferred(preference(5, expression("zone", "In", "a")), preference(2, expression("disk", "In", "ssd")),
                preference(0, expression("zone", "Exists")));
        List<NodeInfo> nodes = List.of(labelled("both", Map.of("zone", "a", "disk", "ssd")), labelled("zone", Map.of("zone", "a")),
                labelled("disk", Map.of("disk", "ssd")), labelled("none", Map.of("zone", "b")));

        List<NodeScore> scores = scoreAll(plugin, pod, nodes);

        assertThat(scores).containsExactly(new NodeScore("both", 7), new NodeScore("zone", 5), new NodeScore("disk", 2),
                new NodeScore("none", 0));
        assertThat(plugin.normalizeScore(new CycleState(), pod, scores)).containsExactly(new NodeScore("both", 100),
                new NodeScore("zone", 71), new NodeScore("disk", 28), new NodeScore("none", 0));
    }

    @Test
    void addedPreferredTermsScoreEveryPod() {
        NodeAffinity added = new NodeAffinityBuilder()
                .addToPreferredDuringSchedulingIgnoredDuringExecution(preference(3, expression("pool", "In", "general"))).build();
        NodeAffinityPlugin preferring = new NodeAffinityPlugin(new NodeAffinityArgs(added));
        Pod pod = preferred(preference(1, expression("zone", "In", "a")));

        List<NodeScore> scores = scoreAll(preferring, pod, List.of(labelled("x", Map.of("pool", "general", "zone", "a")),
                labelled("y", Map.of("zone", "a"))));

        assertThat(scores).containsExactly(new NodeScore("x", 4), new NodeScore("y", 1));
        assertThat(preferring.preScore(new CycleState(), pod("p"), List.of())).isEqualTo(Status.success());
    }

    @Test
    void unparsablePreferredTermFailsPreScore() {
        Pod pod = preferred(preference(1, expression("zone", "Bogus", "a")));

        assertThat(plugin.preScore(new CycleState(), pod, List.of()).code()).isEqualTo(Status.Code.ERROR);
    }

    @Test
    void argsBindFromConfigAndRejectInvalidTerms() {
        ObjectMapper mapper = new ObjectMapper();
        NodeAffinityArgs args = mapper.convertValue(Map.of("addedAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution",
                Map.of("nodeSelectorTerms", List.of(Map.of("matchExpressions",
                        List.of(Map.of("key", "pool", "operator", "In", "values", List.of("general")))))))), NodeAffinityArgs.class);

        assertThat(args.addedAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .containsExactly(term(expression("pool", "In", "general")));
        assertThat(mapper.convertValue(Map.of(), NodeAffinityArgs.class)).isEqualTo(NodeAffinityArgs.defaults());
        assertThatThrownBy(() -> new NodeAffinityArgs(new NodeAffinityBuilder().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addToNodeSelectorTerms(term(expression("pool", "In"))).endRequiredDuringSchedulingIgnoredDuringExecution().build()))
                .hasMessageContaining("addedAffinity").hasMessageContaining("values set can't be empty");
    }

    @Test
    void onlyNodesThatNowMatchRequeue() {
        Pod pod = new PodBuilder(pod("p")).editSpec().addToNodeSelector("zone", "a").endSpec().build();

        assertThat(plugin.nodeChangeHint(pod, Optional.empty(), Optional.<HasMetadata>of(labelled("n", Map.of("zone", "a")).node())))
                .isEqualTo(QueueingHint.QUEUE);
        assertThat(plugin.nodeChangeHint(pod, Optional.empty(), Optional.<HasMetadata>of(labelled("n", Map.of("zone", "b")).node())))
                .isEqualTo(QueueingHint.SKIP);
        Node before = labelled("n", Map.of("zone", "b")).node();
        Node after = labelled("n", Map.of("zone", "a", "other", "x")).node();
        assertThat(plugin.nodeChangeHint(pod, Optional.<HasMetadata>of(before), Optional.<HasMetadata>of(after)))
                .isEqualTo(QueueingHint.QUEUE);
        assertThat(plugin.nodeChangeHint(pod, Optional.<HasMetadata>of(labelled("n", Map.of("zone", "a")).node()),
                Optional.<HasMetadata>of(after))).isEqualTo(QueueingHint.SKIP);
    }

    private Status filter(Pod pod, NodeInfo node) {
        CycleState state = new CycleState();
        PreFilterResult result = plugin.preFilter(state, pod);
        assertThat(result.status().isSuccess()).isTrue();
        return plugin.filter(state, pod, node);
    }

    private boolean matches(Node node, NodeSelectorRequirement requirement) {
        return filter(required(term(requirement)), nodeInfo(node)).isSuccess();
    }

    private static List<NodeScore> scoreAll(NodeAffinityPlugin plugin, Pod pod, List<NodeInfo> nodes) {
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes)).isEqualTo(Status.success());
        List<NodeScore> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            scores.add(new NodeScore(node.nodeName(), plugin.score(state, pod, node)));
        }
        return scores;
    }

    private static NodeInfo labelled(String name, Map<String, String> labels) {
        return nodeInfo(new NodeBuilder(node(name)).editMetadata().withLabels(labels).endMetadata().build());
    }

    private static NodeSelectorRequirement expression(String key, String operator, String... values) {
        return new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(values).build();
    }

    private static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTermBuilder().addToMatchExpressions(expressions).build();
    }

    private static PreferredSchedulingTerm preference(int weight, NodeSelectorRequirement... expressions) {
        return new PreferredSchedulingTerm(term(expressions), weight);
    }

    private static Pod required(NodeSelectorTerm... terms) {
        return new PodBuilder(pod("p")).editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addToNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    }

    private static Pod preferred(PreferredSchedulingTerm... terms) {
        return new PodBuilder(pod("p")).editSpec().withNewAffinity().withNewNodeAffinity()
                .addToPreferredDuringSchedulingIgnoredDuringExecution(terms).endNodeAffinity().endAffinity().endSpec().build();
    }
}
