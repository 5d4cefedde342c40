package io.kube4j.scheduler.nodeports;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
import static io.kube4j.scheduler.SchedulingFixtures.onNode;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import org.junit.jupiter.api.Test;

class TestNodePortsPlugin {
    private static final Status NO_FREE_PORTS = Status.unschedulable("node(s) didn't have free ports for the requested pod ports");

    private final NodePortsPlugin plugin = new NodePortsPlugin();

    @Test
    void podWithoutHostPortsIsSkipped() {
        Pod containerPortOnly = withPorts(pod("p"), new ContainerPortBuilder().withContainerPort(8080).build());

        assertThat(plugin.preFilter(new CycleState(), containerPortOnly)).isEqualTo(PreFilterResult.of(Status.skip()));
    }

    @Test
    void freePortsFit() {
        assertThat(filter(withPorts(pod("p"), port(null, "TCP", 8080)), nodeWith(port(null, "TCP", 8081))))
                .isEqualTo(Status.success());
    }

    @Test
    void samePortAndProtocolConflict() {
        assertThat(filter(withPorts(pod("p"), port(null, null, 8080)), nodeWith(port(null, "TCP", 8080)))).isEqualTo(NO_FREE_PORTS);
    }

    @Test
    void otherProtocolDoesNotConflict() {
        assertThat(filter(withPorts(pod("p"), port(null, "UDP", 8080)), nodeWith(port(null, "TCP", 8080)))).isEqualTo(Status.success());
    }

    @Test
    void addressesConflictWhenEqualOrEitherIsAll() {
        assertThat(filter(withPorts(pod("p"), port("127.0.0.1", "TCP", 8080)), nodeWith(port("127.0.0.2", "TCP", 8080))))
                .isEqualTo(Status.success());
        assertThat(filter(withPorts(pod("p"), port("127.0.0.1", "TCP", 8080)), nodeWith(port("127.0.0.1", "TCP", 8080))))
                .isEqualTo(NO_FREE_PORTS);
        assertThat(filter(withPorts(pod("p"), port("127.0.0.1", "TCP", 8080)), nodeWith(port("0.0.0.0", "TCP", 8080))))
                .isEqualTo(NO_FREE_PORTS);
        assertThat(filter(withPorts(pod("p"), port("", "TCP", 8080)), nodeWith(port("10.0.0.1", "TCP", 8080))))
                .isEqualTo(NO_FREE_PORTS);
    }

    @Test
    void filterWithoutPreFilterIsAnError() {
        assertThat(plugin.filter(new CycleState(), withPorts(pod("p"), port(null, "TCP", 1)), nodeInfo(node("n1"))).code())
                .isEqualTo(Status.Code.ERROR);
    }

    private Status filter(Pod pod, NodeInfo node) {
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, pod)).isEqualTo(PreFilterResult.allNodes());
        return plugin.filter(state, pod, node);
    }

    private static NodeInfo nodeWith(ContainerPort used) {
        return nodeInfo(node("n1"), onNode(withPorts(pod("existing"), used), "n1"));
    }

    private static ContainerPort port(String hostIp, String protocol, int hostPort) {
        return new ContainerPortBuilder().withContainerPort(80).withHostIP(hostIp).withProtocol(protocol).withHostPort(hostPort).build();
    }

    private static Pod withPorts(Pod pod, ContainerPort... ports) {
        return new PodBuilder(pod).editSpec().editFirstContainer().addToPorts(ports).endContainer().endSpec().build();
    }
}
