package io.kube4j.scheduler.nodename;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.Status;
import org.junit.jupiter.api.Test;

class TestNodeNamePlugin {
    private final NodeNamePlugin plugin = new NodeNamePlugin();

    @Test
    void podWithoutNodeNameFitsAnyNode() {
        assertThat(plugin.filter(new CycleState(), pod("p"), nodeInfo(node("n1")))).isEqualTo(Status.success());
    }

    @Test
    void podWithNodeNameFitsOnlyThatNode() {
        assertThat(plugin.filter(new CycleState(), onNode(pod("p"), "n1"), nodeInfo(node("n1")))).isEqualTo(Status.success());

        Status status = plugin.filter(new CycleState(), onNode(pod("p"), "n1"), nodeInfo(node("n2")));

        assertThat(status).isEqualTo(Status.unschedulableAndUnresolvable("node(s) didn't match the requested node name"));
    }

    @Test
    void newNodesRequeue() {
        assertThat(plugin.eventsToRegister()).anySatisfy(registered ->
                assertThat(registered.event().matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD))).isTrue());
    }
}
