package io.kube4j.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestNodeConditions {
    private static final String NOW = "2026-01-01T00:00:10Z";

    private static Node node(String ready, boolean unschedulable, Taint... taints) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec()
                .withUnschedulable(unschedulable ? Boolean.TRUE : null).withTaints(taints).endSpec().withNewStatus().endStatus();
        if (ready != null) {
            b.editStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                    .withLastHeartbeatTime("2026-01-01T00:00:00Z").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                    .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                    .addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void configDefaultsAndChecks() {
        NodeLifecycleConfig defaults = NodeLifecycleConfig.defaults();
        assertThat(defaults.monitorGracePeriod()).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.startupGracePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(new NodeLifecycleConfig("3s", "5s").monitorGracePeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> new NodeLifecycleConfig("0", null)).hasMessageContaining("nodeMonitorGracePeriod");
        assertThatThrownBy(() -> new NodeLifecycleConfig(null, "soon")).hasMessageContaining("nodeStartupGracePeriod");
        assertThat(new ObjectMapper().convertValue(Map.of("nodeMonitorGracePeriod", "3s",
                "nodeStartupGracePeriod", "4s"), NodeLifecycleConfig.class)).isEqualTo(new NodeLifecycleConfig("3s", "4s"));
    }

    @Test
    void silencedTurnsTheKubeletConditionsUnknownKeepingHeartbeatsAndOthers() {
        List<NodeCondition> conditions = NodeConditions.silenced(node("True", false), NOW).orElseThrow();
        NodeCondition ready = conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(ready.getLastTransitionTime()).isEqualTo(NOW);
        assertThat(conditions).filteredOn(c -> c.getType().equals("NetworkUnavailable")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(conditions).filteredOn(c -> c.getType().equals("DiskPressure")).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("NodeStatusNeverUpdated"));
        assertThat(conditions).extracting(NodeCondition::getType).contains("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

        Node silenced = node("True", false);
        silenced.getStatus().setConditions(conditions);
        assertThat(NodeConditions.silenced(silenced, NOW)).as("nothing left to change").isEmpty();
    }

    @Test
    void taintsFollowReadyAndAreRemovedWhenItComesBack() {
        List<Taint> unknown = NodeConditions.taints(node("Unknown", false), NOW).orElseThrow();
        assertThat(unknown).extracting(t -> t.getKey() + ":" + t.getEffect() + ":" + t.getTimeAdded()).containsExactlyInAnyOrder(
                "node.kubernetes.io/unreachable:NoExecute:" + NOW, "node.kubernetes.io/unreachable:NoSchedule:null");
        List<Taint> notReady = NodeConditions.taints(node("False", false), NOW).orElseThrow();
        assertThat(notReady).extracting(t -> t.getKey() + ":" + t.getEffect()).containsExactlyInAnyOrder(
                "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule");

        Taint own = new Taint("NoSchedule", "dedicated", null, "gpu");
        Node back = node("True", false, own, unknown.get(0), unknown.get(1));
        assertThat(NodeConditions.taints(back, NOW)).contains(List.of(own));
        assertThat(NodeConditions.taints(node("True", false, own), NOW)).as("already right").isEmpty();
    }

    @Test
    void taintsKeepTheirTimeAddedAndCordoningAddsUnschedulable() {
        Taint earlier = new Taint("NoExecute", "node.kubernetes.io/unreachable", "2026-01-01T00:00:01Z", null);
        Taint noSchedule = new Taint("NoSchedule", "node.kubernetes.io/unreachable", null, null);
        assertThat(NodeConditions.taints(node("Unknown", false, earlier, noSchedule), NOW)).isEmpty();
        assertThat(NodeConditions.taints(node(null, false), NOW)).as("no Ready condition yet: no taint yet").isEmpty();
        assertThat(NodeConditions.taints(node("True", true), NOW).orElseThrow()).extracting(Taint::getKey)
                .containsExactly("node.kubernetes.io/unschedulable");
    }
}
