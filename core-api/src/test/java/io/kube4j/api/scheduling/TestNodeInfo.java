package io.kube4j.api.scheduling;

import static io.kube4j.api.scheduling.Fixtures.nodeInfo;
import static io.kube4j.api.scheduling.Fixtures.podInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestNodeInfo {

    @Test
    void resourcesConvertQuantitiesToSchedulerUnits() {
        Resources resources = Resources.of(Map.of(
                "cpu", new Quantity("1500m"),
                "memory", new Quantity("1Gi"),
                "ephemeral-storage", new Quantity("10G"),
                "pods", new Quantity("110"),
                "example.com/gpu", new Quantity("2")));

        assertThat(resources.milliCpu()).isEqualTo(1500);
        assertThat(resources.memoryBytes()).isEqualTo(1L << 30);
        assertThat(resources.ephemeralStorageBytes()).isEqualTo(10_000_000_000L);
        assertThat(resources.pods()).isEqualTo(110);
        assertThat(resources.scalar("example.com/gpu")).isEqualTo(2);
        assertThat(resources.scalar("hugepages-2Mi")).isZero();
    }

    @Test
    void fractionalCpuRoundsUpToAMillicore() {
        assertThat(Resources.of(Map.of("cpu", new Quantity("0.0001"))).milliCpu()).isEqualTo(1);
    }

    @Test
    void resourcesAddAndSubtractWithoutGoingNegative() {
        Resources a = new Resources(100, 10, 0, 1, Map.of("example.com/gpu", 1L));
        Resources b = new Resources(300, 5, 0, 1, Map.of("example.com/gpu", 2L));

        assertThat(a.plus(b)).isEqualTo(new Resources(400, 15, 0, 2, Map.of("example.com/gpu", 3L)));
        assertThat(a.minus(b)).isEqualTo(new Resources(0, 5, 0, 0, Map.of()));
        assertThatThrownBy(() -> new Resources(-1, 0, 0, 0, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resources(0, 0, 0, 0, Map.of("cpu", 1L))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostPortsOnAllAddressesConflictWithAnySpecificOne() {
        HostPort any = new HostPort(HostPort.ANY_IP, "TCP", 8080);
        assertThat(any.conflictsWith(new HostPort("10.0.0.1", "TCP", 8080))).isTrue();
        assertThat(new HostPort("10.0.0.1", "TCP", 8080).conflictsWith(new HostPort("10.0.0.2", "TCP", 8080))).isFalse();
        assertThat(any.conflictsWith(new HostPort(HostPort.ANY_IP, "UDP", 8080))).isFalse();
        assertThat(any.conflictsWith(new HostPort(HostPort.ANY_IP, "TCP", 8081))).isFalse();
        assertThatThrownBy(() -> new HostPort(HostPort.ANY_IP, "HTTP", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort(HostPort.ANY_IP, "TCP", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addingAndRemovingPodsKeepsRequestsAndPortsInStep() {
        NodeInfo empty = nodeInfo("node-1", "4");
        PodInfo web = podInfo("web", "500m", 8080);
        PodInfo batch = podInfo("batch", "1", 0);

        NodeInfo both = empty.withPod(web).withPod(batch);
        assertThat(both.pods()).extracting(PodInfo::name).containsExactly("web", "batch");
        assertThat(both.requested().milliCpu()).isEqualTo(1500);
        assertThat(both.requested().pods()).isEqualTo(2);
        assertThat(both.isPortInUse(new HostPort("10.0.0.1", "TCP", 8080))).isTrue();
        assertThat(empty.pods()).isEmpty();

        NodeInfo withoutWeb = both.withoutPod(web);
        assertThat(withoutWeb.pods()).extracting(PodInfo::name).containsExactly("batch");
        assertThat(withoutWeb.requested().milliCpu()).isEqualTo(1000);
        assertThat(withoutWeb.isPortInUse(new HostPort("10.0.0.1", "TCP", 8080))).isFalse();
        assertThat(withoutWeb.withoutPod(web)).isSameAs(withoutWeb);
        assertThat(both.nodeName()).isEqualTo("node-1");
    }

    @Test
    void queuedPodsWithAttemptsHaveAFirstAttemptTime() {
        QueuedPodInfo added = QueuedPodInfo.added(podInfo("web", "1", 0), java.time.Instant.EPOCH);
        assertThat(added.attempts()).isZero();
        assertThatThrownBy(() -> new QueuedPodInfo(added.podInfo(), java.time.Instant.EPOCH, 1,
                java.util.Optional.empty(), java.util.Set.of(), java.util.Set.of(), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostPortsDefaultToAllAddressesAndTcpAndTolerateMissingLists() {
        PodInfo web = podInfo("web", "1", 8080);
        assertThat(web.hostPorts()).containsExactly(new HostPort(HostPort.ANY_IP, "TCP", 8080));
        web.pod().getSpec().setContainers(null);
        web.pod().getSpec().setInitContainers(null);
        assertThat(web.hostPorts()).isEmpty();
        assertThat(web.key()).isEqualTo("default/web");
    }
}
