package io.kube4j.api.node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The pod and container half of the CRI. Thread-safe; every method may block (call from a
 * virtual thread). Failures throw {@link ContainerRuntimeException}; an unknown id is an empty
 * result for status calls and a no-op for stop and remove calls.
 */
public interface RuntimeService {

    /** The runtime's name and version. */
    VersionInfo version();

    /** Whether the runtime can run pods now. Cheap; the kubelet polls it for the node's Ready condition. */
    RuntimeStatus status();

    /**
     * Creates and starts a sandbox: the namespaces (network, IPC, maybe PID) the pod's containers
     * will share, the log directory, resolv.conf and hostname. Returns the new sandbox's id,
     * READY. Not idempotent: each call makes a new sandbox; the kubelet lists first.
     */
    String runPodSandbox(PodSandboxConfig config);

    /**
     * Stops every container of the sandbox (killing after no grace) and the sandbox itself, which
     * becomes NOTREADY; its network must have been torn down first. Idempotent; a no-op for an unknown id.
     */
    void stopPodSandbox(String podSandboxId);

    /** Removes the sandbox and all its containers, stopping them if needed. Idempotent. */
    void removePodSandbox(String podSandboxId);

    /** The sandbox, or empty if the runtime does not know it. */
    Optional<PodSandboxStatus> podSandboxStatus(String podSandboxId);

    /** The sandboxes that match {@code filter}. */
    List<PodSandbox> listPodSandbox(PodSandboxFilter filter);

    /**
     * Creates a container in a READY sandbox, CREATED, not started. Returns its id. The image must
     * be present (pulled). Not idempotent.
     */
    String createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    /** Starts a CREATED container; it becomes RUNNING. Fails for a container in another state. */
    void startContainer(String containerId);

    /**
     * Stops a running container: a polite signal (SIGTERM), then after {@code timeout} a kill
     * (SIGKILL); returns once it has EXITED. A zero timeout kills at once. Idempotent: a no-op
     * for an exited or unknown container.
     */
    void stopContainer(String containerId, Duration timeout);

    /** Removes a container, killing it if it still runs; its log stays. Idempotent. */
    void removeContainer(String containerId);

    /** The containers that match {@code filter}. */
    List<Container> listContainers(ContainerFilter filter);

    /** The container, or empty if the runtime does not know it. */
    Optional<ContainerStatus> containerStatus(String containerId);

    /**
     * Runs {@code command} in a running container and waits for it, up to {@code timeout}
     * (zero: no limit) after which it is killed and the result has exit code -1. For exec probes.
     */
    ExecSyncResult execSync(String containerId, List<String> command, Duration timeout);

    /** Closes and reopens the container's log file, after the kubelet rotated it. */
    void reopenContainerLog(String containerId);

    /**
     * Tells {@code listener} of every change of a container's state that the runtime makes by
     * itself (a container that starts late or exits), as the CRI's {@code GetContainerEvents}
     * streams them, so that the kubelet need not poll each pod every second (kube's evented PLEG).
     * Returns true if the runtime reports every such change from now on; false (the default) if it
     * reports none, and the kubelet polls. Called at most once, before any pod runs. The listener
     * is called on the runtime's threads, must be thread-safe and must not block.
     */
    default boolean watchContainerEvents(Consumer<ContainerEvent> listener) {
        return false;
    }
}
