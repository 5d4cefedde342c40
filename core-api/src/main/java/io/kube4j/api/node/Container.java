package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** One container as {@link RuntimeService#listContainers} lists it. */
public record Container(String id, String podSandboxId, ContainerMetadata metadata, String image, String imageRef,
                        ContainerState state, Instant createdAt, Map<String, String> labels,
                        Map<String, String> annotations) {
    public Container {
        requireNonNull(id, "id is null");
        requireNonNull(podSandboxId, "podSandboxId is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(image, "image is null");
        requireNonNull(imageRef, "imageRef is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
    }
}
