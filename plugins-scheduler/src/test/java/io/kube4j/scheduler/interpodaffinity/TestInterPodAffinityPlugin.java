package io.kube4j.scheduler.interpodaffinity;

import static io.kube4j.scheduler.SchedulingFixtures.context;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import io.kube4j.scheduler.noderesources.PodRequests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TestInterPodAffinityPlugin {
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HOSTNAME = "kubernetes.io/hostname";
    private static final Status AFFINITY = Status.unschedulableAndUnresolvable(InterPodAffinityPlugin.REASON_AFFINITY);
    private static final Status ANTI_AFFINITY = Status.unschedulable(InterPodAffinityPlugin.REASON_ANTI_AFFINITY);
    private static final Status EXISTING = Status.unschedulable(InterPodAffinityPlugin.REASON_EXISTING_ANTI_AFFINITY);
    private static final Status OK = Status.success();

    // Zone z1 has n1 and n2, zone z2 has n3; n4 has no zone label.
    private static final List<Node> NODES = List.of(zoned("n1", "z1"), zoned("n2", "z1"), zoned("n3", "z2"), zoned("n4", null));

    record Case(String name, Pod pod, List<Pod> existing, List<Status> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> filterCases() {
        Pod db = onNode(labelled("db", "app", "db"), "n1");
        Pod web1 = onNode(labelled("web-1", "app", "web"), "n1");
        Pod guard = onNode(withAffinity(labelled("guard", "role", "guard"), null, List.of(term(ZONE, "app", "web")), null, null), "n1");
        Pod cache = withAffinity(labelled("cache-0", "app", "cache"), List.of(term(ZONE, "app", "cache")), null, null, null);
        return Stream.of(
                new Case("required affinity to a pod in the same zone",
                        withAffinity(pod("p"), List.of(term(ZONE, "app", "db")), null, null, null), List.of(db),
                        List.of(OK, OK, AFFINITY, AFFINITY)),
                new Case("a node without the topology label never satisfies affinity",
                        withAffinity(pod("p"), List.of(term(HOSTNAME, "app", "db")), null, null, null), List.of(db),
                        List.of(OK, AFFINITY, AFFINITY, AFFINITY)),
                new Case("affinity to a pod that is nowhere",
                        withAffinity(pod("p"), List.of(term(ZONE, "app", "nothing")), null, null, null), List.of(db),
                        List.of(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
                new Case("anti-affinity on hostname spreads replicas",
                        withAffinity(labelled("web-2", "app", "web"), null, List.of(term(HOSTNAME, "app", "web")), null, null),
                        List.of(web1), List.of(ANTI_AFFINITY, OK, OK, OK)),
                new Case("anti-affinity on zone keeps the whole zone out",
                        withAffinity(labelled("web-2", "app", "web"), null, List.of(term(ZONE, "app", "web")), null, null),
                        List.of(web1), List.of(ANTI_AFFINITY, ANTI_AFFINITY, OK, OK)),
                new Case("an existing pod's anti-affinity is symmetric",
                        labelled("web-2", "app", "web"), List.of(guard), List.of(EXISTING, EXISTING, OK, OK)),
                new Case("an existing pod's anti-affinity ignores pods it does not select",
                        labelled("api", "app", "api"), List.of(guard), List.of(OK, OK, OK, OK)),
                new Case("the first pod of a self-affine group goes to any node with the label",
                        cache, List.of(db), List.of(OK, OK, OK, AFFINITY)),
                new Case("the second pod of a self-affine group joins the first",
                        cache, List.of(onNode(labelled("cache-1", "app", "cache"), "n3")), List.of(AFFINITY, AFFINITY, OK, AFFINITY)),
                new Case("a pod whose affinity does not select itself is not a first pod",
                        withAffinity(labelled("p", "app", "web"), List.of(term(ZONE, "app", "cache")), null, null, null), List.of(),
                        List.of(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
                new Case("terms select pods of the pod's own namespace by default",
                        withAffinity(pod("p"), List.of(term(ZONE, "app", "db")), null, null, null),
                        List.of(inNamespace(db, "other")), List.of(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
                new Case("terms select pods of the namespaces they list",
                        withAffinity(pod("p"), List.of(new PodAffinityTermBuilder(term(ZONE, "app", "db")).withNamespaces("other").build()),
                                null, null, null),
                        List.of(inNamespace(db, "other")), List.of(OK, OK, AFFINITY, AFFINITY)),
                new Case("an empty namespace selector selects every namespace",
                        withAffinity(pod("p"), List.of(new PodAffinityTermBuilder(term(ZONE, "app", "db")).withNewNamespaceSelector()
                                .endNamespaceSelector().build()), null, null, null),
                        List.of(inNamespace(db, "other")), List.of(OK, OK, AFFINITY, AFFINITY)),
                new Case("a namespace selector sees the namespace's name label",
                        withAffinity(pod("p"), List.of(new PodAffinityTermBuilder(term(ZONE, "app", "db")).withNewNamespaceSelector()
                                .addToMatchLabels("kubernetes.io/metadata.name", "other").endNamespaceSelector().build()), null, null, null),
                        List.of(inNamespace(db, "other")), List.of(OK, OK, AFFINITY, AFFINITY)),
                new Case("matchLabelKeys narrow the selector to the pod's own values",
                        withAffinity(labelled(labelled("web-v2", "app", "web"), "version", "v2"), null,
                                List.of(new PodAffinityTermBuilder(term(HOSTNAME, "app", "web")).withMatchLabelKeys("version").build()), null, null),
                        List.of(labelled(web1, "version", "v1")), List.of(OK, OK, OK, OK)),
                new Case("mismatchLabelKeys select pods with other values",
                        withAffinity(labelled(labelled("web-v2", "app", "web"), "version", "v2"), null,
                                List.of(new PodAffinityTermBuilder(term(HOSTNAME, "app", "web")).withMismatchLabelKeys("version").build()), null, null),
                        List.of(labelled(web1, "version", "v1")), List.of(ANTI_AFFINITY, OK, OK, OK)));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(Case c) {
        List<NodeInfo> nodes = snapshot(NODES, c.existing());
        InterPodAffinityPlugin plugin = plugin(InterPodAffinityArgs.defaults(), nodes);
        CycleState state = new CycleState();

        assertThat(plugin.preFilter(state, c.pod())).isEqualTo(PreFilterResult.allNodes());
        assertThat(nodes.stream().map(node -> plugin.filter(state, c.pod(), node)).toList()).isEqualTo(c.expected());
    }

    @Test
    void podWithoutAffinityCostsNothingWhenNoPodHasRequiredAntiAffinity() {
        Pod preferring = withAffinity(onNode(pod("preferring"), "n1"), null, null, List.of(weighted(5, term(ZONE, "app", "web"))), null);
        InterPodAffinityPlugin plugin = plugin(InterPodAffinityArgs.defaults(), snapshot(NODES, List.of(preferring)));

        assertThat(plugin.preFilter(new CycleState(), pod("p")).status()).isEqualTo(Status.skip());
        assertThat(plugin.preScore(new CycleState(), pod("p"), snapshot(NODES, List.of(preferring))))
                .as("an existing pod's preferred term that does not select the pod scores nothing").isEqualTo(Status.skip());
    }

    @Test
    void preemptionWhatIfsAddAndRemovePodsOnACopy() {
        List<NodeInfo> nodes = snapshot(NODES, List.of(onNode(labelled("web-1", "app", "web"), "n1")));
        InterPodAffinityPlugin plugin = plugin(InterPodAffinityArgs.defaults(), nodes);
        Pod pod = withAffinity(labelled("web-2", "app", "web"), null, List.of(term(ZONE, "app", "web")), null, null);
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);

        CycleState withoutWeb1 = state.copy();
        assertThat(plugin.removePod(withoutWeb1, pod, podInfo(onNode(labelled("web-1", "app", "web"), "n1")), nodes.get(0)))
                .isEqualTo(OK);
        CycleState withGuard = state.copy();
        Pod guard = onNode(withAffinity(labelled("guard", "role", "guard"), null, List.of(term(ZONE, "app", "web")), null, null), "n3");
        assertThat(plugin.addPod(withGuard, pod, podInfo(guard), nodes.get(2))).isEqualTo(OK);

        assertThat(plugin.filter(withoutWeb1, pod, nodes.get(0))).isEqualTo(OK);
        assertThat(plugin.filter(withGuard, pod, nodes.get(2))).isEqualTo(EXISTING);
        assertThat(plugin.filter(state, pod, nodes.get(0))).as("the original state is untouched").isEqualTo(ANTI_AFFINITY);
        assertThat(plugin.filter(state, pod, nodes.get(2))).isEqualTo(OK);
    }

    @Test
    void preferredTermsAddTheirWeightsAndAntiAffinitySubtracts() {
        List<Pod> existing = List.of(onNode(labelled("db", "app", "db"), "n1"), onNode(labelled("web", "app", "web"), "n3"));
        Pod pod = withAffinity(pod("p"), null, null, List.of(weighted(10, term(ZONE, "app", "db"))),
                List.of(weighted(4, term(HOSTNAME, "app", "web"))));

        // raw: n1 10 (zone z1), n2 10, n3 -4 (its hostname), n4 0 → min -4, max 10.
        assertThat(normalizedScores(InterPodAffinityArgs.defaults(), pod, existing))
                .containsExactly(Map.entry("n1", 100L), Map.entry("n2", 100L), Map.entry("n3", 0L), Map.entry("n4", 28L));
    }

    @Test
    void existingPodsPreferredAndRequiredTermsScoreSymmetrically() {
        Pod likesWeb = onNode(withAffinity(labelled("likes-web", "app", "x"), List.of(term(ZONE, "app", "web")), null,
                List.of(weighted(5, term(HOSTNAME, "app", "web"))), null), "n1");
        Pod avoidsWeb = onNode(withAffinity(labelled("avoids-web", "app", "y"), null, null, null,
                List.of(weighted(3, term(ZONE, "app", "web")))), "n3");
        Pod web = labelled("web", "app", "web");

        // hardPodAffinityWeight 1: n1 1 + 5, n2 1, n3 -3, n4 0 → scaled over 9.
        assertThat(normalizedScores(InterPodAffinityArgs.defaults(), web, List.of(likesWeb, avoidsWeb)))
                .containsExactly(Map.entry("n1", 100L), Map.entry("n2", 44L), Map.entry("n3", 0L), Map.entry("n4", 33L));
        // hardPodAffinityWeight 10: n1 15, n2 10, n3 -3, n4 0.
        assertThat(normalizedScores(new InterPodAffinityArgs(10, null), web, List.of(likesWeb, avoidsWeb)))
                .containsExactly(Map.entry("n1", 100L), Map.entry("n2", 72L), Map.entry("n3", 0L), Map.entry("n4", 16L));
    }

    @Test
    void ignoringExistingPodsPreferredTermsSkipsPodsWithoutTheirOwn() {
        Pod likesWeb = onNode(withAffinity(labelled("likes-web", "app", "x"), null, null,
                List.of(weighted(5, term(HOSTNAME, "app", "web"))), null), "n1");
        List<NodeInfo> nodes = snapshot(NODES, List.of(likesWeb));
        Pod web = labelled("web", "app", "web");

        assertThat(plugin(InterPodAffinityArgs.defaults(), nodes).preScore(new CycleState(), web, nodes)).isEqualTo(OK);
        assertThat(plugin(new InterPodAffinityArgs(null, true), nodes).preScore(new CycleState(), web, nodes)).isEqualTo(Status.skip());
    }

    @Test
    void argsHaveKubeDefaultsAndChecks() {
        ObjectMapper mapper = new ObjectMapper();

        assertThat(mapper.convertValue(Map.of(), InterPodAffinityArgs.class)).isEqualTo(new InterPodAffinityArgs(1, false));
        assertThat(mapper.convertValue(Map.of("hardPodAffinityWeight", 7, "ignorePreferredTermsOfExistingPods", true),
                InterPodAffinityArgs.class)).isEqualTo(new InterPodAffinityArgs(7, true));
        assertThatThrownBy(() -> new InterPodAffinityArgs(101, null)).hasMessageContaining("hardPodAffinityWeight");
    }

    @Test
    void anInvalidSelectorIsAnError() {
        Pod pod = withAffinity(pod("p"), List.of(new PodAffinityTermBuilder().withTopologyKey(ZONE).withNewLabelSelector()
                .addNewMatchExpression().withKey("app").withOperator("In").endMatchExpression().endLabelSelector().build()), null, null, null);

        assertThat(plugin(InterPodAffinityArgs.defaults(), snapshot(NODES, List.of())).preFilter(new CycleState(), pod).status().code())
                .isEqualTo(Status.Code.ERROR);
    }

    private static Map<String, Long> normalizedScores(InterPodAffinityArgs args, Pod pod, List<Pod> existing) {
        List<NodeInfo> nodes = snapshot(NODES, existing);
        InterPodAffinityPlugin plugin = plugin(args, nodes);
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

    private static InterPodAffinityPlugin plugin(InterPodAffinityArgs args, List<NodeInfo> nodes) {
        return new InterPodAffinityPlugin(args, context(nodes));
    }

    static Node zoned(String name, String zone) {
        NodeBuilder builder = new NodeBuilder(io.kube4j.scheduler.SchedulingFixtures.node(name)).editMetadata().addToLabels(HOSTNAME, name).endMetadata();
        if (zone != null) {
            builder.editMetadata().addToLabels(ZONE, zone).endMetadata();
        }
        return builder.build();
    }

    static Pod labelled(String name, String key, String value) {
        return labelled(pod(name), key, value);
    }

    static Pod labelled(Pod pod, String key, String value) {
        return new PodBuilder(pod).editMetadata().addToLabels(key, value).endMetadata().build();
    }

    static Pod inNamespace(Pod pod, String namespace) {
        return new PodBuilder(pod).editMetadata().withNamespace(namespace).endMetadata().build();
    }

    static PodAffinityTerm term(String topologyKey, String key, String value) {
        LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels(key, value).build();
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector).build();
    }

    static WeightedPodAffinityTerm weighted(int weight, PodAffinityTerm term) {
        return new WeightedPodAffinityTerm(term, weight);
    }

    static Pod withAffinity(Pod pod, List<PodAffinityTerm> required, List<PodAffinityTerm> requiredAnti,
                            List<WeightedPodAffinityTerm> preferred, List<WeightedPodAffinityTerm> preferredAnti) {
        PodBuilder builder = new PodBuilder(pod);
        builder.editSpec().withNewAffinity().endAffinity().endSpec();
        if (required != null || preferred != null) {
            builder.editSpec().editAffinity().withNewPodAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(required == null ? List.of() : required)
                    .withPreferredDuringSchedulingIgnoredDuringExecution(preferred == null ? List.of() : preferred)
                    .endPodAffinity().endAffinity().endSpec();
        }
        if (requiredAnti != null || preferredAnti != null) {
            builder.editSpec().editAffinity().withNewPodAntiAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(requiredAnti == null ? List.of() : requiredAnti)
                    .withPreferredDuringSchedulingIgnoredDuringExecution(preferredAnti == null ? List.of() : preferredAnti)
                    .endPodAntiAffinity().endAffinity().endSpec();
        }
        return builder.build();
    }

    private static io.kube4j.api.scheduling.PodInfo podInfo(Pod pod) {
        return PodRequests.podInfo(pod);
    }
}
