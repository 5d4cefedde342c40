package io.kube4j.scheduler.nodeunschedulable;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.Status;
import org.junit.jupiter.api.Test;

class TestNodeUnschedulablePlugin {
    private final NodeUnschedulablePlugin plugin = new NodeUnschedulablePlugin();
    private final NodeInfo cordoned = nodeInfo(new NodeBuilder(node("n1")).editSpec().withUnschedulable(true).endSpec().build());

    @Test
    void schedulableNodeTakesAnyPod() {
        assertThat(plugin.filter(new CycleState(), pod("p"), nodeInfo(node("n1")))).isEqualTo(Status.success());
        NodeInfo explicitlySchedulable = nodeInfo(new NodeBuilder(node("n1")).editSpec().withUnschedulable(false).endSpec().build());
        assertThat(plugin.filter(new CycleState(), pod("p"), explicitlySchedulable)).isEqualTo(Status.success());
    }

    @Test
    void cordonedNodeRejectsPodsThatDoNotTolerateIt() {
        Status status = plugin.filter(new CycleState(), pod("p"), cordoned);

        assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(status.message()).isEqualTo("node(s) were unschedulable");
    }

    @Test
    void cordonedNodeTakesPodsToleratingTheUnschedulableTaint() {
        assertThat(filter(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"))).isEqualTo(Status.success());
        assertThat(filter(toleration(null, "Exists", null, null))).isEqualTo(Status.success());
        assertThat(filter(toleration("node.kubernetes.io/unschedulable", "Exists", null, null))).isEqualTo(Status.success());
    }

    @Test
    void otherTolerationsDoNotHelp() {
        assertThat(filter(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoExecute")).isSuccess()).isFalse();
        assertThat(filter(toleration("node.kubernetes.io/unschedulable", "Equal", "true", "NoSchedule")).isSuccess()).isFalse();
        assertThat(filter(toleration("other", "Exists", null, "NoSchedule")).isSuccess()).isFalse();
    }

    private Status filter(Toleration toleration) {
        Pod pod = new PodBuilder(pod("p")).editSpec().addToTolerations(toleration).endSpec().build();
        return plugin.filter(new CycleState(), pod, cordoned);
    }

    static Toleration toleration(String key, String operator, String value, String effect) {
        Toleration toleration = new Toleration();
        toleration.setKey(key);
        toleration.setOperator(operator);
        toleration.setValue(value);
        toleration.setEffect(effect);
        return toleration;
    }
}
