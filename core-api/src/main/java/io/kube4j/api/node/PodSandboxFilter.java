package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** Which sandboxes to list: every condition that is set must hold; labels must all be present with equal values. */
public record PodSandboxFilter(Optional<String> id, Optional<PodSandboxState> state, Map<String, String> labelSelector) {
    public PodSandboxFilter {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        labelSelector = Map.copyOf(requireNonNull(labelSelector, "labelSelector is null"));
    }

    public static final PodSandboxFilter ALL = new PodSandboxFilter(Optional.empty(), Optional.empty(), Map.of());

    public boolean matches(PodSandbox sandbox) {
        return id.map(sandbox.id()::equals).orElse(true)
                && state.map(wanted -> wanted == sandbox.state()).orElse(true)
                && sandbox.labels().entrySet().containsAll(labelSelector.entrySet());
    }
}
