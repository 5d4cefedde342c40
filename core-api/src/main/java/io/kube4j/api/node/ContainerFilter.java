package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** Which containers to list: every condition that is set must hold; labels must all be present with equal values. */
public record ContainerFilter(Optional<String> id, Optional<ContainerState> state, Optional<String> podSandboxId,
                              Map<String, String> labelSelector) {
    public ContainerFilter {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        requireNonNull(podSandboxId, "podSandboxId is null");
        labelSelector = Map.copyOf(requireNonNull(labelSelector, "labelSelector is null"));
    }

    public static final ContainerFilter ALL = new ContainerFilter(Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    /** The containers of one sandbox. */
    public static ContainerFilter inSandbox(String podSandboxId) {
        return new ContainerFilter(Optional.empty(), Optional.empty(), Optional.of(podSandboxId), Map.of());
    }

    public boolean matches(Container container) {
        return id.map(container.id()::equals).orElse(true)
                && state.map(wanted -> wanted == container.state()).orElse(true)
                && podSandboxId.map(container.podSandboxId()::equals).orElse(true)
                && container.labels().entrySet().containsAll(labelSelector.entrySet());
    }
}
