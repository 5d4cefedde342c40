package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A change of a container's state that the runtime made by itself, as the CRI's
 * {@code GetContainerEvents} streams it (the kubelet's evented PLEG): a container that started
 * after a delay, or that exited.
 *
 * @param state the container's state after the change
 * @param at when it changed
 */
public record ContainerEvent(String containerId, String podSandboxId, PodSandboxMetadata podSandbox,
                             ContainerState state, Instant at) {
    public ContainerEvent {
        requireNonNull(containerId, "containerId is null");
        requireNonNull(podSandboxId, "podSandboxId is null");
        requireNonNull(podSandbox, "podSandbox is null");
        requireNonNull(state, "state is null");
        requireNonNull(at, "at is null");
    }
}
