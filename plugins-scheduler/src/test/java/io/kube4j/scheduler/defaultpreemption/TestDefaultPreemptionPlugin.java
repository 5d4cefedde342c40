package io.kube4j.scheduler.defaultpreemption;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.NodeToStatus;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PostFilterResult;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import io.kube4j.scheduler.SchedulingFixtures;
import io.kube4j.scheduler.defaultpreemption.DefaultPreemptionPlugin.Candidate;
import io.kube4j.scheduler.defaultpreemption.DefaultPreemptionPlugin.SelectResult;
import io.kube4j.scheduler.defaultpreemption.DefaultPreemptionPlugin.Victims;
import io.kube4j.scheduler.noderesources.NodeResourcesFitFactory;
import io.kube4j.scheduler.noderesources.PodRequests;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TestDefaultPreemptionPlugin {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Node NODE = node("n1", "4", "8Gi");

    // ---- victims on one node

    static Stream<Arguments> victimCases() {
        return Stream.of(
                Arguments.of("lower-priority pods are evicted, the fewest and least important",
                        List.of(running("low1", "1", 1, "10:00"), running("low2", "1", 2, "10:00"), running("low3", "2", 3, "10:00")),
                        List.of(), preemptor("2", 10), List.of("low2", "low1"), 0, Status.Code.SUCCESS),
                Arguments.of("a higher-priority pod is never a victim",
                        List.of(running("high", "3", 100, "10:00"), running("low", "1", 1, "10:00")),
                        List.of(), preemptor("2", 10), List.of(), 0, Status.Code.UNSCHEDULABLE),
                Arguments.of("pods of equal priority are no victims",
                        List.of(running("peer", "4", 10, "10:00")),
                        List.of(), preemptor("2", 10), List.of(), 0, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("without a PDB, the pod that started later is evicted",
                        List.of(labeled(running("a", "2", 1, "11:00"), "a"), running("b", "2", 1, "10:00")),
                        List.of(), preemptor("2", 10), List.of("a"), 0, Status.Code.SUCCESS),
                Arguments.of("a pod a PDB protects is reprieved first",
                        List.of(labeled(running("a", "2", 1, "11:00"), "a"), running("b", "2", 1, "10:00")),
                        List.of(pdb("a", 0)), preemptor("2", 10), List.of("b"), 0, Status.Code.SUCCESS),
                Arguments.of("a PDB is violated when there is no other way, and counted",
                        List.of(labeled(running("a", "4", 1, "11:00"), "a")),
                        List.of(pdb("a", 0)), preemptor("2", 10), List.of("a"), 1, Status.Code.SUCCESS),
                Arguments.of("a PDB that allows a disruption is not violated",
                        List.of(labeled(running("a", "4", 1, "11:00"), "a")),
                        List.of(pdb("a", 1)), preemptor("2", 10), List.of("a"), 0, Status.Code.SUCCESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("victimCases")
    void victimsOnANode(String name, List<Pod> onNode, List<PodDisruptionBudget> pdbs, Pod preemptor,
                        List<String> expectedVictims, int expectedViolations, Status.Code expectedCode) {
        NodeInfo node = SchedulingFixtures.nodeInfo(NODE, onNode.toArray(Pod[]::new));
        DefaultPreemptionPlugin plugin = plugin(List.of(node), pdbs);

        SelectResult result = plugin.selectVictimsOnNode(new CycleState(), preemptor, node, pdbs);

        assertThat(result.status().code()).isEqualTo(expectedCode);
        assertThat(result.victims().pods()).extracting(PodInfo::name).containsExactlyElementsOf(expectedVictims);
        assertThat(result.victims().numPdbViolations()).isEqualTo(expectedViolations);
    }

    // ---- choosing the node

    static Stream<Arguments> nodeCases() {
        return Stream.of(
                Arguments.of("fewest PDB violations",
                        List.of(candidate("x", 1, victim("a", 1, "10:00")), candidate("y", 0, victim("b", 5, "10:00"))), "y"),
                Arguments.of("lowest most important victim",
                        List.of(candidate("x", 0, victim("a", 5, "10:00")), candidate("y", 0, victim("b", 3, "10:00"),
                                victim("c", 3, "10:00"))), "y"),
                Arguments.of("smallest sum of priorities",
                        List.of(candidate("x", 0, victim("a", 5, "10:00"), victim("b", 4, "10:00")),
                                candidate("y", 0, victim("c", 5, "10:00"), victim("d", 1, "10:00"))), "y"),
                Arguments.of("sum counts negative priorities as more, not less",
                        List.of(candidate("x", 0, victim("a", -5, "10:00"), victim("b", -5, "10:00")),
                                candidate("y", 0, victim("c", -5, "10:00"))), "y"),
                Arguments.of("fewest victims",
                        List.of(candidate("x", 0, victim("a", 5, "10:00"), victim("b", 0, "10:00"), victim("c", 0, "10:00")),
                                candidate("y", 0, victim("d", 5, "10:00"), victim("e", 0, "10:00"))), "y"),
                Arguments.of("latest start of the most important victims",
                        List.of(candidate("x", 0, victim("a", 5, "09:00")), candidate("y", 0, victim("b", 5, "11:00"))), "y"),
                Arguments.of("a full tie goes to the first",
                        List.of(candidate("x", 0, victim("a", 5, "10:00")), candidate("y", 0, victim("b", 5, "10:00"))), "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeCases")
    void pickOneNode(String name, List<Candidate> candidates, String expected) {
        assertThat(DefaultPreemptionPlugin.pickOneNode(candidates, NOW).nodeName()).isEqualTo(expected);
    }

    // ---- the PostFilter point

    @Test
    void aPodThatNeverPreemptsIsNotEligible() {
        NodeInfo node = SchedulingFixtures.nodeInfo(NODE, running("low", "4", 1, "10:00"));
        Pod never = new PodBuilder(preemptor("2", 10)).editSpec().withPreemptionPolicy("Never").endSpec().build();

        PostFilterResult result = plugin(List.of(node), List.of()).postFilter(new CycleState(), never, allUnschedulable());

        assertThat(result.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(result.status().message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
        assertThat(result.nominatedNodeName()).isEmpty();
    }

    @Test
    void aPodWhoseLowerPriorityVictimsStillTerminateWaits() {
        Pod terminating = new PodBuilder(running("low", "4", 1, "10:00")).editMetadata()
                .withDeletionTimestamp("2026-01-01T11:59:00Z").endMetadata().build();
        NodeInfo node = SchedulingFixtures.nodeInfo(NODE, terminating);
        Pod nominated = new PodBuilder(preemptor("2", 10)).withNewStatus().withNominatedNodeName("n1").endStatus().build();

        PostFilterResult result = plugin(List.of(node), List.of()).postFilter(new CycleState(), nominated, allUnschedulable());

        assertThat(result.status().message())
                .isEqualTo("preemption: not eligible due to a terminating pod on the nominated node.");
    }

    @Test
    void withoutCandidatesTheReasonsAreCountedPerNode() {
        List<NodeInfo> nodes = snapshot(List.of(NODE, node("n2", "4", "8Gi")),
                List.of(onNode(running("peer", "4", 10, "10:00"), "n1")));
        NodeToStatus statuses = new NodeToStatus(Map.of("n1", Status.unschedulable("Insufficient cpu"),
                "n2", Status.unschedulableAndUnresolvable("node(s) didn't match Pod's node affinity/selector")),
                Status.unschedulableAndUnresolvable("not filtered"));

        PostFilterResult result = plugin(nodes, List.of()).postFilter(new CycleState(), preemptor("2", 10), statuses);

        assertThat(result.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(result.status().message()).isEqualTo("preemption: 0/2 nodes are available: "
                + "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling");
    }

    @Test
    void theDryRunStopsOnceEnoughCandidatesAreFound() {
        List<NodeInfo> nodes = snapshot(List.of(NODE, node("n2", "4", "8Gi"), node("n3", "4", "8Gi")),
                List.of(onNode(running("a", "4", 1, "10:00"), "n1"), onNode(running("b", "4", 1, "10:00"), "n2"),
                        onNode(running("c", "4", 1, "10:00"), "n3")));
        DefaultPreemptionPlugin plugin = plugin(nodes, List.of());

        assertThat(plugin.dryRun(new CycleState(), preemptor("2", 10), nodes, List.of(), 1, 1).candidates())
                .extracting(Candidate::nodeName).containsExactly("n2");
        assertThat(plugin.dryRun(new CycleState(), preemptor("2", 10), nodes, List.of(), 1, 3).candidates())
                .extracting(Candidate::nodeName).containsExactly("n2", "n3", "n1");
    }

    @Test
    void argsDefaultsChecksAndCandidateCount() {
        ObjectMapper mapper = new ObjectMapper();
        DefaultPreemptionArgs defaults = mapper.convertValue(Map.of(), DefaultPreemptionArgs.class);
        assertThat(defaults).isEqualTo(new DefaultPreemptionArgs(10, 100));
        assertThat(defaults.numCandidates(50)).isEqualTo(50);
        assertThat(defaults.numCandidates(5000)).isEqualTo(500);
        assertThat(new DefaultPreemptionArgs(0, 3).numCandidates(50)).isEqualTo(3);
        assertThatThrownBy(() -> new DefaultPreemptionArgs(101, null)).hasMessageContaining("minCandidateNodesPercentage");
        assertThatThrownBy(() -> new DefaultPreemptionArgs(null, -1)).hasMessageContaining("minCandidateNodesAbsolute");
        assertThatThrownBy(() -> new DefaultPreemptionArgs(0, 0)).hasMessageContaining("cannot be zero");
    }

    // ---- fixtures

    private static NodeToStatus allUnschedulable() {
        return new NodeToStatus(Map.of(), Status.unschedulable("Insufficient cpu"));
    }

    private static Pod preemptor(String cpu, int priority) {
        return new PodBuilder(pod("preemptor", cpu, "100Mi")).editSpec().withPriority(priority).endSpec().build();
    }

    private static Pod running(String name, String cpu, int priority, String startedAt) {
        return new PodBuilder(pod(name, cpu, "100Mi")).editSpec().withPriority(priority).withNodeName("n1").endSpec()
                .withNewStatus().withStartTime("2026-01-01T" + startedAt + ":00Z").endStatus().build();
    }

    private static Pod labeled(Pod pod, String app) {
        return new PodBuilder(pod).editMetadata().withLabels(Map.of("app", app)).endMetadata().build();
    }

    private static PodDisruptionBudget pdb(String app, int disruptionsAllowed) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(app).withNamespace("default").endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", app)).endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(disruptionsAllowed).endStatus().build();
    }

    private static PodInfo victim(String name, int priority, String startedAt) {
        return PodRequests.podInfo(running(name, "1", priority, startedAt));
    }

    private static Candidate candidate(String node, int violations, PodInfo... victims) {
        return new Candidate(node, new Victims(List.of(victims), violations));
    }

    private static DefaultPreemptionPlugin plugin(List<NodeInfo> nodes, List<PodDisruptionBudget> pdbs) {
        return new DefaultPreemptionPlugin(DefaultPreemptionArgs.defaults(), new FitContext(nodes), () -> pdbs);
    }

    /** The fixtures' context, with NodeResourcesFit as the whole filter and a fixed clock. */
    private static final class FitContext implements SchedulingContext {
        private final SchedulingContext base;
        private final PreFilterPlugin preFilter;
        private final FilterPlugin filter;

        @SuppressWarnings("unchecked")
        FitContext(List<NodeInfo> nodes) {
            this.base = SchedulingFixtures.context(nodes);
            SchedulingPluginFactory<Object> factory = ServiceLoader.load(SchedulingPluginFactory.class).stream()
                    .map(ServiceLoader.Provider::get).filter(f -> f.name().equals(NodeResourcesFitFactory.NAME))
                    .findFirst().orElseThrow();
            Object fit = factory.create(new ObjectMapper().convertValue(Map.of(), factory.configType()), base);
            this.preFilter = (PreFilterPlugin) fit;
            this.filter = (FilterPlugin) fit;
        }

        @Override
        public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
            CycleState own = new CycleState();
            preFilter.preFilter(own, pod);
            return filter.filter(own, pod, nodeInfo);
        }

        @Override
        public String schedulerName() {
            return base.schedulerName();
        }

        @Override
        public NodeInfoLister snapshot() {
            return base.snapshot();
        }

        @Override
        public ApiClient client() {
            return base.client();
        }

        @Override
        public EventRecorder eventRecorder() {
            return base.eventRecorder();
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public Optional<WaitingPod> waitingPod(String uid) {
            return Optional.empty();
        }

        @Override
        public List<WaitingPod> waitingPods() {
            return List.of();
        }

        @Override
        public Path dataDir() {
            return base.dataDir();
        }

        @Override
        public Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }
}
