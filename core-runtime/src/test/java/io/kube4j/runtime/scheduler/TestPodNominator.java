package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestPodNominator {
    private final PodNominator nominator = new PodNominator();

    @Test
    void nominationsFollowPreemptionAndThePodsStatus() {
        PodInfo high = PodInfos.of(pod("high", 100, null));
        nominator.add(high, "n1");
        assertThat(nominator.podsForNode("n1")).extracting(PodInfo::name).containsExactly("high");

        // The scheduler's own PodScheduled write, before the nominatedNodeName lands, keeps the nomination.
        nominator.update(Optional.of(pod("high", 100, null)), PodInfos.of(pod("high", 100, null)));
        assertThat(nominator.nodeOf(high.key())).contains("n1");

        nominator.update(Optional.of(pod("high", 100, null)), PodInfos.of(pod("high", 100, "n2")));
        assertThat(nominator.podsForNode("n1")).isEmpty();
        assertThat(nominator.podsForNode("n2")).extracting(PodInfo::name).containsExactly("high");

        // Someone (a higher-priority preemption) cleared it.
        nominator.update(Optional.of(pod("high", 100, "n2")), PodInfos.of(pod("high", 100, null)));
        assertThat(nominator.nodeOf(high.key())).isEmpty();

        nominator.add(high, "n1");
        nominator.delete(high.key());
        assertThat(nominator.podsForNode("n1")).isEmpty();
    }

    @Test
    void filteringCountsNominatedPodsOfAtLeastThePodsPriorityThenChecksWithoutThem() {
        List<Integer> podsSeen = new ArrayList<>();
        FilterPlugin onePodPerNode = new FilterPlugin() {
            @Override
            public String name() {
                return "OnePodPerNode";
            }

            @Override
            public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
                podsSeen.add(nodeInfo.pods().size());
                return nodeInfo.pods().isEmpty() ? Status.success() : Status.unschedulable("node is taken");
            }
        };
        QueueSortPlugin fifo = new QueueSortPlugin() {
            @Override
            public String name() {
                return "Fifo";
            }

            @Override
            public boolean less(io.kube4j.api.scheduling.QueuedPodInfo a, io.kube4j.api.scheduling.QueuedPodInfo b) {
                return false;
            }
        };
        Framework framework = new Framework("default-scheduler", fifo, List.of(), List.of(), List.of(onePodPerNode),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of());
        Node node = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build();
        NodeInfo empty = NodeInfo.of(node, Resources.ZERO, Map.of());
        List<PodInfo> nominated = List.of(PodInfos.of(pod("nominated", 50, "n1")));

        assertThat(framework.runFilterWithNominatedPods(new CycleState(), pod("lower", 10, null), empty, nominated).code())
                .as("a lower-priority pod must leave the room to the nominated one").isEqualTo(Status.Code.UNSCHEDULABLE);
        podsSeen.clear();
        assertThat(framework.runFilterWithNominatedPods(new CycleState(), pod("higher", 50, null), empty, nominated)
                .isSuccess()).as("an equal-priority pod too").isFalse();
        podsSeen.clear();
        assertThat(framework.runFilterWithNominatedPods(new CycleState(), pod("highest", 100, null), empty, nominated)
                .isSuccess()).isTrue();
        assertThat(podsSeen).as("a lower-priority nominated pod is not counted; one pass").containsExactly(0);
        podsSeen.clear();
        assertThat(framework.runFilterWithNominatedPods(new CycleState(), pod("nominated", 50, "n1"), empty, nominated)
                .isSuccess()).as("a pod does not stand in its own way").isTrue();
    }

    private static Pod pod(String name, int priority, String nominatedNode) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name).endMetadata()
                .withNewSpec().withPriority(priority).endSpec()
                .withNewStatus().withNominatedNodeName(nominatedNode).endStatus().build();
    }
}
