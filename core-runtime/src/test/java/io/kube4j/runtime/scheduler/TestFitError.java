package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestFitError {

    @Test
    void reasonsAreCountedOverNodesAndSortedAsKubeSchedulerPrintsThem() {
        Status taint = Status.unschedulableAndUnresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")
                .withFailedPlugin("TaintToleration");
        Status cpu = Status.unschedulable("Insufficient cpu").withFailedPlugin("NodeResourcesFit");
        Status cpuAndMemory = Status.unschedulable("Insufficient cpu", "Insufficient memory").withFailedPlugin("NodeResourcesFit");
        FitError error = new FitError(4, Map.of("a", taint, "b", cpu, "c", cpuAndMemory, "d", taint), Optional.empty(),
                Optional.empty());
        assertThat(error.message()).isEqualTo("0/4 nodes are available: 1 Insufficient memory, 2 Insufficient cpu,"
                + " 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.");
        assertThat(error.unschedulablePlugins()).containsExactlyInAnyOrder("TaintToleration", "NodeResourcesFit");
    }

    @Test
    void nodesThatPreFilterRuledOutCountWithTheAbsentStatus() {
        FitError error = new FitError(3, Map.of("a", Status.unschedulable("Insufficient cpu")),
                Optional.of(Status.unschedulableAndUnresolvable("node(s) didn't match Pod's node affinity/selector")),
                Optional.empty());
        assertThat(error.message()).isEqualTo(
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void aPreFilterRejectionIsPrintedOnce() {
        Status status = Status.unschedulableAndUnresolvable("pod has unbound immediate PersistentVolumeClaims");
        FitError error = new FitError(3, Map.of(), Optional.of(status), Optional.of(status.message()));
        assertThat(error.message()).isEqualTo("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    }

    @Test
    void whatPreemptionSaidFollows() {
        FitError error = new FitError(3, Map.of("a", Status.unschedulable("Insufficient cpu"),
                "b", Status.unschedulable("Insufficient cpu"), "c", Status.unschedulable("Insufficient cpu")),
                Optional.empty(), Optional.empty())
                .withPostFilterMsg("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling");
        assertThat(error.message()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are"
                + " available: 3 Preemption is not helpful for scheduling.");
        assertThat(error.nodeToStatus().get("a").reasons()).containsExactly("Insufficient cpu");
    }

    @Test
    void tiesAreBrokenAtRandomAmongTheBestNodes() {
        List<NodeScore> scores = List.of(new NodeScore("a", 10), new NodeScore("b", 30), new NodeScore("c", 30),
                new NodeScore("d", 5));
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 200 && picked.size() < 2; i++) {
            picked.add(Scheduler.selectHost(scores));
        }
        assertThat(picked).containsExactlyInAnyOrder("b", "c");
    }
}
