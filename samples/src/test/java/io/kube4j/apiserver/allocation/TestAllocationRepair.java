package io.kube4j.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.storage.Store;
import io.kube4j.storage.memory.MemoryConfig;
import io.kube4j.storage.memory.MemoryStorageBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repair loop frees leaked addresses after two sightings and gives Services back addresses the store lost. */
class TestAllocationRepair {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Context(Path dataDir) implements PluginContext {
        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }
    }

    private static JsonNode service(String name, String ip, int nodePort) throws Exception {
        return JSON.readTree("{\"metadata\":{\"namespace\":\"default\",\"name\":\"" + name + "\"},\"spec\":{\"type\":\"NodePort\","
                + "\"clusterIP\":\"" + ip + "\",\"ports\":[{\"port\":80,\"nodePort\":" + nodePort + "}]}}");
    }

    @Test
    void leakIsFreedOnTheSecondRunAndMissingAddressIsRepaired(@TempDir Path dir) throws Exception {
        Store store = new MemoryStorageBackend().open(new MemoryConfig("0"), new Context(dir));
        ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/12", Optional.of(store));
        NodePortAllocator ports = new NodePortAllocator(30000, 32767, Optional.of(store));
        List<JsonNode> services = new ArrayList<>();
        AllocationRepair repair = new AllocationRepair(store, ips, ports, () -> services);

        assertThat(ips.reserve("10.96.0.50", "default/gone")).isTrue();
        assertThat(ports.reserve(30050, "default/gone")).isTrue();
        services.add(service("kept", "10.96.0.60", 30060));

        AllocationRepair.Report first = repair.runOnce();
        assertThat(first.leaksFreed()).isEmpty();
        assertThat(first.leaksPending()).containsExactlyInAnyOrder("10.96.0.50 default/gone", "30050 default/gone");
        assertThat(first.missingRepaired()).containsExactlyInAnyOrder("10.96.0.60 default/kept", "30060 default/kept");
        assertThat(store.get(ClusterIpAllocator.KEY_PREFIX + "10.96.0.60")).isPresent();
        assertThat(store.get(NodePortAllocator.KEY_PREFIX + "30060")).isPresent();

        AllocationRepair.Report second = repair.runOnce();
        assertThat(second.leaksFreed()).containsExactlyInAnyOrder("10.96.0.50 default/gone", "30050 default/gone");
        assertThat(second.missingRepaired()).isEmpty();
        assertThat(store.get(ClusterIpAllocator.KEY_PREFIX + "10.96.0.50")).isEmpty();
        assertThat(store.get(NodePortAllocator.KEY_PREFIX + "30050")).isEmpty();
        assertThat(ports.reserve(30050, "default/new")).isTrue();
        assertThat(ports.reserve(30060, "default/new")).isFalse();

        assertThat(repair.runOnce()).isEqualTo(new AllocationRepair.Report(List.of(),
                List.of("30050 default/new"), List.of(), List.of()));
    }

    @Test
    void anAddressTakenAgainBetweenRunsIsNotFreed(@TempDir Path dir) throws Exception {
        Store store = new MemoryStorageBackend().open(new MemoryConfig("0"), new Context(dir));
        ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/12", Optional.of(store));
        NodePortAllocator ports = new NodePortAllocator(30000, 32767, Optional.of(store));
        AllocationRepair repair = new AllocationRepair(store, ips, ports, List::of);
        ips.reserve("10.96.0.70", "default/a");
        assertThat(repair.runOnce().leaksPending()).containsExactly("10.96.0.70 default/a");
        ips.release("10.96.0.70", "default/a");
        ips.reserve("10.96.0.70", "default/b");
        AllocationRepair.Report r = repair.runOnce();
        assertThat(r.leaksFreed()).isEmpty();
        assertThat(r.leaksPending()).containsExactly("10.96.0.70 default/b");
    }

    @Test
    void twoServicesOnOneAddressAreReported(@TempDir Path dir) throws Exception {
        Store store = new MemoryStorageBackend().open(new MemoryConfig("0"), new Context(dir));
        ClusterIpAllocator ips = new ClusterIpAllocator("10.96.0.0/12", Optional.of(store));
        NodePortAllocator ports = new NodePortAllocator(30000, 32767, Optional.of(store));
        List<JsonNode> services = List.of(service("x", "10.96.0.80", 30080), service("y", "10.96.0.81", 30080));
        AllocationRepair.Report r = new AllocationRepair(store, ips, ports, () -> services).runOnce();
        assertThat(r.conflicts()).containsExactly("30080 default/y default/x");
    }
}
