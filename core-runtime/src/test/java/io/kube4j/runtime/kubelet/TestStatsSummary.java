package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.node.Container;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStats;
import io.kube4j.api.node.PodSandbox;
import io.kube4j.api.node.PodSandboxFilter;
import io.kube4j.api.node.PodSandboxMetadata;
import io.kube4j.api.node.PodSandboxState;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStatsSummary {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path proc;
    private final AtomicLong containerCpu = new AtomicLong(2 * SECOND);
    private final AtomicLong nanoTime = new AtomicLong(0);

    /** A runtime with one ready sandbox running one container, whose CPU time is {@link #containerCpu}. */
    private ContainerRuntime runtime() {
        PodSandbox sandbox = new PodSandbox("s1", new PodSandboxMetadata("web", "uid-1", "default", 0),
                PodSandboxState.READY, NOW, Map.of(), Map.of());
        Container container = new Container("c1", "s1", new ContainerMetadata("app", 0), "busybox", "sha256:1",
                ContainerState.RUNNING, NOW, Map.of(), Map.of());
        return (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class},
                (self, method, args) -> switch (method.getName()) {
                    case "listPodSandbox" -> ((PodSandboxFilter) args[0]).matches(sandbox) ? List.of(sandbox) : List.of();
                    case "listContainers" -> ((ContainerFilter) args[0]).matches(container) ? List.of(container) : List.of();
                    case "containerStats" -> Optional.of(new ContainerStats("c1", NOW, containerCpu.get(), 3 << 20, 2 << 20));
                    case "containerStatus" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void proc(long userTicks) throws Exception {
        Files.writeString(proc.resolve("stat"), "cpu  " + userTicks + " 0 50 1000 10 0 0 0 0 0\ncpu0 1 2 3 4\nbtime 1700000000\n");
        Files.writeString(proc.resolve("meminfo"), """
                MemTotal:        1000 kB
                MemFree:          400 kB
                MemAvailable:     700 kB
                Inactive(file):   100 kB
                AnonPages:        200 kB
                """);
    }

    @Test
    void nodeAndPodsAsTheKubeletsSummary() throws Exception {
        proc(100);
        StatsSummary stats = new StatsSummary("node-1", runtime(), Clock.fixed(NOW, ZoneOffset.UTC), proc, nanoTime::get);
        JsonNode first = new ObjectMapper().readTree(stats.json());
        assertThat(first.at("/node/nodeName").asText()).isEqualTo("node-1");
        assertThat(first.at("/node/startTime").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(first.at("/node/cpu/usageCoreNanoSeconds").asLong()).isEqualTo(150 * SECOND / 100);
        assertThat(first.at("/node/cpu/usageNanoCores").isMissingNode()).as("no rate from one reading").isTrue();
        assertThat(first.at("/node/memory/usageBytes").asLong()).isEqualTo(600 * 1024);
        assertThat(first.at("/node/memory/workingSetBytes").asLong()).isEqualTo(500 * 1024);
        assertThat(first.at("/node/memory/availableBytes").asLong()).isEqualTo(500 * 1024);
        assertThat(first.at("/pods/0/podRef/name").asText()).isEqualTo("web");
        assertThat(first.at("/pods/0/podRef/uid").asText()).isEqualTo("uid-1");
        assertThat(first.at("/pods/0/containers/0/name").asText()).isEqualTo("app");
        assertThat(first.at("/pods/0/containers/0/memory/workingSetBytes").asLong()).isEqualTo(3 << 20);
        assertThat(first.at("/pods/0/memory/workingSetBytes").asLong()).isEqualTo(3 << 20);
        assertThat(first.at("/pods/0/cpu/usageCoreNanoSeconds").asLong()).isEqualTo(2 * SECOND);

        // Two seconds later the node used 100 more ticks (1 core second), the container 1 core second too.
        proc(200);
        containerCpu.addAndGet(SECOND);
        nanoTime.addAndGet(2 * SECOND);
        JsonNode second = new ObjectMapper().readTree(stats.json());
        assertThat(second.at("/node/cpu/usageNanoCores").asLong()).isEqualTo(SECOND / 2);
        assertThat(second.at("/pods/0/containers/0/cpu/usageNanoCores").asLong()).isEqualTo(SECOND / 2);
        assertThat(second.at("/pods/0/cpu/usageNanoCores").asLong()).isEqualTo(SECOND / 2);

        // Asked again at once: the last rate stands rather than one measured over no time.
        nanoTime.addAndGet(1000);
        assertThat(new ObjectMapper().readTree(stats.json()).at("/node/cpu/usageNanoCores").asLong()).isEqualTo(SECOND / 2);
    }

    @Test
    void idleAndIowaitAreNotBusy() {
        assertThat(StatsSummary.busyTicks("cpu  10 1 5 1000 50 2 3 4 7 0")).isEqualTo(10 + 1 + 5 + 2 + 3 + 4);
    }
}
