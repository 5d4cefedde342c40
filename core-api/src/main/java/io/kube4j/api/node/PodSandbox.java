package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** One sandbox as {@link RuntimeService#listPodSandbox} lists it. */
public record PodSandbox(String id, PodSandboxMetadata metadata, PodSandboxState state, Instant createdAt,
                         Map<String, String> labels, Map<String, String> annotations) {
    public PodSandbox {
        requireNonNull(id, "id is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
    }
}
