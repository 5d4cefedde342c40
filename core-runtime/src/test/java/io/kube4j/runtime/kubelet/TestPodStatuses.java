package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestPodStatuses {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final PodStatuses.Sandbox SANDBOX = new PodStatuses.Sandbox(true, List.of("10.0.0.5"), "10.0.0.1", T0);

    private static Pod pod(String restartPolicy, boolean withInit) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec();
        if (withInit) {
            b.editSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec();
        }
        return b.build();
    }

    private static ContainerStatus running(String name, int attempt) {
        return new ContainerStatus("id-" + name + attempt, new ContainerMetadata(name, attempt), ContainerState.RUNNING, T0,
                Optional.of(T0), Optional.empty(), 0, "busybox", "sha256:x", "", "", Map.of(), Map.of(), "/l");
    }

    private static ContainerStatus exited(String name, int attempt, int code) {
        return new ContainerStatus("id-" + name + attempt, new ContainerMetadata(name, attempt), ContainerState.EXITED, T0,
                Optional.of(T0), Optional.of(T0.plusSeconds(1)), code, "busybox", "sha256:x", code == 0 ? "Completed" : "Error",
                "", Map.of(), Map.of(), "/l");
    }

    private static PodStatus generate(Pod pod, Map<String, List<ContainerStatus>> containers, Map<String, PodStatuses.Waiting> backingOff) {
        return PodStatuses.generate(pod, containers, backingOff, SANDBOX, "kube4j-process", T0.plusSeconds(5), false);
    }

    private static String condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).map(PodCondition::getStatus)
                .findFirst().orElseThrow();
    }

    @Test
    void runningPodIsReady() {
        PodStatus s = generate(pod("Always", false), Map.of("main", List.of(running("main", 0))), Map.of());
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getPodIP()).isEqualTo("10.0.0.5");
        assertThat(s.getHostIP()).isEqualTo("10.0.0.1");
        assertThat(s.getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(condition(s, "Ready")).isEqualTo("True");
        assertThat(condition(s, "ContainersReady")).isEqualTo("True");
        assertThat(condition(s, "Initialized")).isEqualTo("True");
        assertThat(condition(s, "PodScheduled")).isEqualTo("True");
        var c = s.getContainerStatuses().getFirst();
        assertThat(c.getContainerID()).isEqualTo("kube4j-process://id-main0");
        assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(c.getStarted()).isTrue();
        // Unchanged input, unchanged output: no write.
        Pod written = new PodBuilder(pod("Always", false)).withStatus(s).build();
        assertThat(generate(written, Map.of("main", List.of(running("main", 0))), Map.of())).isEqualTo(s);
    }

    @Test
    void pendingUntilInitContainersSucceed() {
        PodStatus s = generate(pod("Always", true), Map.of("init", List.of(running("init", 0))), Map.of());
        assertThat(s.getPhase()).isEqualTo("Pending");
        assertThat(condition(s, "Initialized")).isEqualTo("False");
        assertThat(s.getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        PodStatus failed = generate(pod("Never", true), Map.of("init", List.of(exited("init", 0, 1))), Map.of());
        assertThat(failed.getPhase()).isEqualTo("Failed");
    }

    @Test
    void crashLoopShowsLastStateAndRestarts() {
        PodStatus s = generate(pod("Always", false), Map.of("main", List.of(exited("main", 0, 1), exited("main", 1, 1))),
                Map.of("main", new PodStatuses.Waiting("CrashLoopBackOff", "back-off 10s restarting failed container=main pod=p_default(u)")));
        var c = s.getContainerStatuses().getFirst();
        assertThat(c.getRestartCount()).isEqualTo(1);
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(condition(s, "Ready")).isEqualTo("False");
    }

    @Test
    void containersTheRuntimeRefusesWaitWithTheReason() {
        PodStatus s = generate(pod("Always", false), Map.of(),
                Map.of("main", new PodStatuses.Waiting("CreateContainerError", "needs a command")));
        var c = s.getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CreateContainerError");
        assertThat(c.getState().getWaiting().getMessage()).isEqualTo("needs a command");
        assertThat(s.getPhase()).isEqualTo("Pending");
    }

    @Test
    void phasesOfEndedPods() {
        assertThat(generate(pod("Never", false), Map.of("main", List.of(exited("main", 0, 0))), Map.of()).getPhase())
                .isEqualTo("Succeeded");
        assertThat(generate(pod("Never", false), Map.of("main", List.of(exited("main", 0, 3))), Map.of()).getPhase())
                .isEqualTo("Failed");
        assertThat(generate(pod("OnFailure", false), Map.of("main", List.of(exited("main", 0, 0))), Map.of()).getPhase())
                .isEqualTo("Succeeded");
        PodStatus deleted = PodStatuses.generate(pod("Always", false), Map.of("main", List.of(exited("main", 0, 143))),
                Map.of(), SANDBOX, "kube4j-process", T0, true);
        assertThat(deleted.getPhase()).isEqualTo("Failed");
        assertThat(deleted.getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isEqualTo(143);
        assertThat(generate(pod("Always", false), Map.of(), Map.of()).getPhase()).isEqualTo("Pending");
    }
}
