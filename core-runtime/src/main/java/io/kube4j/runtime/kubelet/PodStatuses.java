package io.kube4j.runtime.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the runtime reports into a pod's {@code status}, as the kubelet's
 * {@code generateAPIPodStatus} does: container statuses (waiting, running or terminated, with the
 * last termination and the restart count), the phase, and the PodReadyToStartContainers,
 * Initialized, ContainersReady, Ready and PodScheduled conditions. Pure: no I/O.
 */
final class PodStatuses {

    /** Why a container waits, when the kubelet knows better than ContainerCreating: CrashLoopBackOff, CreateContainerError. */
    record Waiting(String reason, String message) {
    }

    /** The pod's sandbox as the status shows it. */
    record Sandbox(boolean ready, List<String> podIps, String hostIp, Instant startTime) {
    }

    /**
     * What the probes say of a running container: {@code started} once its startup probe succeeded,
     * {@code ready} once started and its readiness probe succeeds. A container without probes is both while it runs.
     */
    record Health(boolean started, boolean ready) {
        static final Health UNPROBED = new Health(true, true);
    }

    private PodStatuses() {
    }

    /** {@link #generate(Pod, Map, Map, Sandbox, String, Instant, boolean, Map)} for a pod without probes. */
    static PodStatus generate(Pod pod, Map<String, List<ContainerStatus>> byName, Map<String, Waiting> waiting,
                              Sandbox sandbox, String runtimeName, Instant now, boolean terminating) {
        return generate(pod, byName, waiting, sandbox, runtimeName, now, terminating, Map.of());
    }

    /**
     * @param byName     the runtime's containers of the pod by name, oldest attempt first
     * @param waiting    the containers waiting for a reason of the kubelet's (CrashLoopBackOff, CreateContainerError)
     * @param terminating the pod is deleted and its containers were stopped: the phase becomes terminal
     * @param health      what the probes say, by container id; a running container not in it is started and ready
     */
    static PodStatus generate(Pod pod, Map<String, List<ContainerStatus>> byName, Map<String, Waiting> waiting,
                              Sandbox sandbox, String runtimeName, Instant now, boolean terminating,
                              Map<String, Health> health) {
        PodStatus old = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        List<io.fabric8.kubernetes.api.model.ContainerStatus> init = new ArrayList<>();
        boolean initialized = true;
        boolean initFailed = false;
        for (var spec : pod.getSpec().getInitContainers()) {
            List<ContainerStatus> runs = byName.getOrDefault(spec.getName(), List.of());
            var status = containerStatus(spec, runs, waiting, runtimeName, "PodInitializing", health);
            init.add(status);
            Optional<ContainerStatus> last = runs.isEmpty() ? Optional.empty() : Optional.of(runs.getLast());
            boolean succeeded = last.map(c -> c.state() == ContainerState.EXITED && c.exitCode() == 0).orElse(false);
            if (!succeeded) {
                initialized = false;
                if (last.map(c -> c.state() == ContainerState.EXITED).orElse(false) && restartPolicy.equals("Never")) {
                    initFailed = true;
                }
            }
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> containers = new ArrayList<>();
        int running = 0;
        int pending = 0;
        int stopped = 0;
        int succeeded = 0;
        for (var spec : pod.getSpec().getContainers()) {
            List<ContainerStatus> runs = byName.getOrDefault(spec.getName(), List.of());
            var status = containerStatus(spec, runs, waiting, runtimeName,
                    initialized ? "ContainerCreating" : "PodInitializing", health);
            containers.add(status);
            if (status.getState().getRunning() != null) {
                running++;
            } else if (status.getState().getTerminated() != null) {
                stopped++;
                if (status.getState().getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                pending++;
            }
        }
        String phase;
        String oldPhase = Optional.ofNullable(old.getPhase()).orElse("Pending");
        if (oldPhase.equals("Succeeded") || oldPhase.equals("Failed")) {
            phase = oldPhase;
        } else if (initFailed) {
            phase = "Failed";
        } else if (!initialized) {
            phase = terminating ? "Failed" : "Pending";
        } else if (terminating && running == 0) {
            phase = stopped == succeeded && stopped == containers.size() ? "Succeeded" : "Failed";
        } else if (pending > 0) {
            phase = "Pending";
        } else if (running > 0) {
            phase = "Running";
        } else if (stopped > 0) {
            if (restartPolicy.equals("Always")) {
                phase = "Running";
            } else if (stopped == succeeded) {
                phase = "Succeeded";
            } else if (restartPolicy.equals("Never")) {
                phase = "Failed";
            } else {
                phase = "Running";
            }
        } else {
            phase = "Pending";
        }
        boolean containersReady = !containers.isEmpty() && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
        String notReady = containers.stream().filter(c -> !Boolean.TRUE.equals(c.getReady()))
                .map(io.fabric8.kubernetes.api.model.ContainerStatus::getName).toList().toString()
                .replace(",", "");
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "PodReadyToStartContainers", sandbox.ready(), "", "", now));
        conditions.add(initialized || pod.getSpec().getInitContainers().isEmpty()
                ? condition(old, "Initialized", true, "", "", now)
                : condition(old, "Initialized", false, "ContainersNotInitialized", "containers with incomplete status: "
                        + init.stream().filter(c -> c.getState().getTerminated() == null
                                || c.getState().getTerminated().getExitCode() != 0)
                                .map(io.fabric8.kubernetes.api.model.ContainerStatus::getName).toList().toString()
                                .replace(",", ""), now));
        boolean podCompleted = phase.equals("Succeeded") || phase.equals("Failed");
        String notReadyReason = podCompleted ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = podCompleted ? "" : "containers with unready status: " + notReady;
        conditions.add(containersReady ? condition(old, "ContainersReady", true, "", "", now)
                : condition(old, "ContainersReady", false, notReadyReason, notReadyMessage, now));
        conditions.add(containersReady ? condition(old, "Ready", true, "", "", now)
                : condition(old, "Ready", false, notReadyReason, notReadyMessage, now));
        conditions.add(condition(old, "PodScheduled", true, "", "", now));
        PodStatusBuilder status = new PodStatusBuilder(old)
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(sandbox.hostIp())
                .withHostIPs(new HostIP(sandbox.hostIp()))
                .withStartTime(time(sandbox.startTime()))
                .withInitContainerStatuses(init)
                .withContainerStatuses(containers);
        if (!sandbox.podIps().isEmpty()) {
            status.withPodIP(sandbox.podIps().getFirst())
                    .withPodIPs(sandbox.podIps().stream().map(PodIP::new).toList());
        }
        return status.build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(
            io.fabric8.kubernetes.api.model.Container spec, List<ContainerStatus> runs, Map<String, Waiting> waiting,
            String runtimeName, String waitingReason, Map<String, Health> health) {
        var builder = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage())
                .withImageID("")
                .withRestartCount(0)
                .withReady(false)
                .withStarted(false);
        Waiting why = waiting.get(spec.getName());
        if (runs.isEmpty()) {
            return builder.withState(why == null
                    ? new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).endWaiting().build()
                    : new ContainerStateBuilder().withNewWaiting().withReason(why.reason()).withMessage(why.message())
                            .endWaiting().build()).build();
        }
        ContainerStatus last = runs.getLast();
        builder.withRestartCount(last.metadata().attempt())
                .withImageID(last.imageRef())
                .withContainerID(runtimeName + "://" + last.id());
        if (runs.size() > 1) {
            builder.withLastState(new ContainerStateBuilder().withTerminated(terminated(runs.get(runs.size() - 2), runtimeName))
                    .build());
        }
        switch (last.state()) {
            case RUNNING -> builder.withReady(health.getOrDefault(last.id(), Health.UNPROBED).ready())
                    .withStarted(health.getOrDefault(last.id(), Health.UNPROBED).started()).withState(new ContainerStateBuilder()
                    .withNewRunning().withStartedAt(time(last.startedAt().orElseThrow())).endRunning().build());
            case EXITED -> {
                if (why != null) {
                    builder.withLastState(new ContainerStateBuilder().withTerminated(terminated(last, runtimeName)).build())
                            .withState(new ContainerStateBuilder().withNewWaiting().withReason(why.reason())
                                    .withMessage(why.message()).endWaiting().build());
                } else {
                    builder.withState(new ContainerStateBuilder().withTerminated(terminated(last, runtimeName)).build());
                }
            }
            default -> builder.withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating")
                    .endWaiting().build());
        }
        return builder.build();
    }

    private static ContainerStateTerminated terminated(ContainerStatus c, String runtimeName) {
        ContainerStateTerminatedBuilder t = new ContainerStateTerminatedBuilder()
                .withExitCode(c.exitCode())
                .withReason(c.reason().isEmpty() ? (c.exitCode() == 0 ? "Completed" : "Error") : c.reason())
                .withContainerID(runtimeName + "://" + c.id());
        if (!c.message().isEmpty()) {
            t.withMessage(c.message());
        }
        c.startedAt().ifPresent(s -> t.withStartedAt(time(s)));
        c.finishedAt().ifPresent(f -> t.withFinishedAt(time(f)));
        return t.build();
    }

    /** The condition, keeping its lastTransitionTime while its status stays. */
    private static PodCondition condition(PodStatus old, String type, boolean value, String reason, String message,
                                          Instant now) {
        String status = value ? "True" : "False";
        Optional<PodCondition> previous = Optional.ofNullable(old.getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType())).findFirst();
        String since = previous.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime)
                .orElse(time(now));
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setLastTransitionTime(since);
        c.setLastProbeTime(null);
        if (!reason.isEmpty()) {
            c.setReason(reason);
        }
        if (!message.isEmpty()) {
            c.setMessage(message);
        }
        if (type.equals("PodScheduled") && previous.isPresent()) {
            return previous.get();
        }
        return c;
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
