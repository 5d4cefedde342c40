package io.kube4j.cri.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerEvent;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.DnsConfig;
import io.kube4j.api.node.LinuxContainerResources;
import io.kube4j.api.node.LinuxPodSandboxConfig;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodSandboxConfig;
import io.kube4j.api.node.PodSandboxMetadata;
import io.kube4j.api.node.PodSandboxState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulated runtime, found by name through ServiceLoader: delays, simulated ends, capacity, config errors. */
@Timeout(30)
class TestSimulatedRuntime {
    private ContainerRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static <C> ContainerRuntime create(Map<String, Object> config) {
        ContainerRuntimeFactory<C> factory = ServiceLoader.load(ContainerRuntimeFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("simulated")).findFirst().orElseThrow();
        C bound = new ObjectMapper().convertValue(config, factory.configType());
        return factory.create(bound, new NodeContext() {
            @Override
            public String nodeName() {
                return "sim-0";
            }

            @Override
            public Path nodeDataDir() {
                throw new UnsupportedOperationException("the simulated runtime writes nothing");
            }

            @Override
            public ApiClient client() {
                throw new UnsupportedOperationException("the simulated runtime does not call the API server");
            }

            @Override
            public Path dataDir() {
                throw new UnsupportedOperationException("the simulated runtime writes nothing");
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        });
    }

    private static PodSandboxConfig sandboxConfig(String uid, Map<String, String> annotations) {
        return new PodSandboxConfig(new PodSandboxMetadata("pod-" + uid, uid, "default", 0), "pod-" + uid,
                Path.of("/nonexistent"), DnsConfig.NONE, List.of(), Map.of("uid", uid), annotations,
                LinuxPodSandboxConfig.DEFAULT);
    }

    /** Pulls, creates and starts a container in a new sandbox; returns its id. */
    private String run(String uid, Map<String, String> annotations) {
        PodSandboxConfig sandboxConfig = sandboxConfig(uid, annotations);
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        runtime.pullImage("busybox", Optional.empty());
        String id = runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata("main", 0), "busybox",
                List.of(), List.of(), "", List.of(), List.of(), "main/0.log", LinuxContainerResources.UNLIMITED,
                Map.of("uid", uid), Map.of(), false, false), sandboxConfig);
        assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.CREATED);
        runtime.startContainer(id);
        return id;
    }

    @Test
    void defaultsRunAtOnceAndForever() {
        runtime = create(Map.of());
        assertThat(runtime.simulated()).isTrue();
        assertThat(runtime.capacity()).containsEntry("cpu", new Quantity("32")).containsEntry("memory", new Quantity("256Gi"))
                .containsEntry("pods", new Quantity("110")).containsKey("ephemeral-storage");
        String id = run("u1", Map.of());
        ContainerStatus status = runtime.containerStatus(id).orElseThrow();
        assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(status.startedAt()).isPresent();
        assertThat(runtime.listContainers(new ContainerFilter(Optional.empty(), Optional.of(ContainerState.RUNNING),
                Optional.empty(), Map.of("uid", "u1")))).hasSize(1);
        assertThat(runtime.execSync(id, List.of("true"), Duration.ZERO).exitCode()).isZero();
        runtime.stopContainer(id, Duration.ofSeconds(30));
        assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
        assertThat(runtime.containerStatus(id).orElseThrow().exitCode()).isEqualTo(143);
    }

    @Test
    void startTakesTheDelay() {
        runtime = create(Map.of("startDelay", "300ms"));
        long t0 = System.nanoTime();
        String id = run("u1", Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void annotatedPodsEndAfterRunForAndSayItAsAnEvent() throws InterruptedException {
        runtime = create(Map.of("runFor", "200ms"));
        BlockingQueue<ContainerEvent> events = new LinkedBlockingQueue<>();
        assertThat(runtime.watchContainerEvents(events::add)).isTrue();
        String ok = run("ok", Map.of("kube4j.io/simulate", "complete"));
        String bad = run("bad", Map.of("kube4j.io/simulate", "fail", "kube4j.io/simulate-exit-code", "3",
                "kube4j.io/simulate-run-for", "400ms"));
        String plainFail = run("plain", Map.of("kube4j.io/simulate", "fail"));
        String forever = run("forever", Map.of());
        ContainerEvent first = events.poll(5, TimeUnit.SECONDS);
        ContainerEvent second = events.poll(5, TimeUnit.SECONDS);
        ContainerEvent third = events.poll(5, TimeUnit.SECONDS);
        assertThat(List.of(first, second, third)).extracting(ContainerEvent::containerId)
                .containsExactlyInAnyOrder(ok, bad, plainFail);
        assertThat(third.containerId()).isEqualTo(bad);
        assertThat(third.podSandbox().uid()).isEqualTo("bad");
        assertThat(third.state()).isEqualTo(ContainerState.EXITED);
        assertThat(runtime.containerStatus(ok).orElseThrow()).satisfies(s -> {
            assertThat(s.state()).isEqualTo(ContainerState.EXITED);
            assertThat(s.exitCode()).isZero();
            assertThat(s.reason()).isEqualTo("Completed");
        });
        assertThat(runtime.containerStatus(bad).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(runtime.containerStatus(bad).orElseThrow().reason()).isEqualTo("Error");
        assertThat(runtime.containerStatus(plainFail).orElseThrow().exitCode()).isEqualTo(1);
        assertThat(runtime.containerStatus(forever).orElseThrow().state()).isEqualTo(ContainerState.RUNNING);
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void sandboxStopAndRemove() {
        runtime = create(Map.of());
        String id = run("u1", Map.of());
        String sandbox = runtime.listContainers(ContainerFilter.ALL).getFirst().podSandboxId();
        runtime.stopPodSandbox(sandbox);
        assertThat(runtime.podSandboxStatus(sandbox).orElseThrow().state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
        runtime.removePodSandbox(sandbox);
        assertThat(runtime.podSandboxStatus(sandbox)).isEmpty();
        assertThat(runtime.containerStatus(id)).isEmpty();
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(ContainerRuntimeException.class);
    }

    @Test
    void badAnnotationFailsTheStart() {
        runtime = create(Map.of());
        assertThatThrownBy(() -> run("u1", Map.of("kube4j.io/simulate", "explode")))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("complete or fail");
    }

    @Test
    void configCapacityReplacesTheDefaultsItNames() {
        SimulatedRuntimeConfig config = new SimulatedRuntimeConfig("1s", "2m", Map.of("cpu", "4", "pods", "20"));
        assertThat(config.startDelayDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.runForDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.capacity()).containsEntry("cpu", "4").containsEntry("pods", "20").containsEntry("memory", "256Gi");
        assertThat(SimulatedRuntimeConfig.defaults().startDelay()).isEqualTo("0s");
        assertThat(SimulatedRuntimeConfig.defaults().runFor()).isEqualTo("1s");
        assertThat(SimulatedRuntimeConfig.defaults().capacity()).isEqualTo(SimulatedRuntimeConfig.DEFAULT_CAPACITY);
        assertThatThrownBy(() -> new SimulatedRuntimeConfig("soon", null, null)).hasMessageContaining("startDelay");
        assertThatThrownBy(() -> new SimulatedRuntimeConfig(null, "-1s", null)).hasMessageContaining("runFor");
        assertThatThrownBy(() -> new SimulatedRuntimeConfig(null, null, Map.of("memory", "lots")))
                .hasMessageContaining("capacity.memory is not a quantity: lots");
    }
}
