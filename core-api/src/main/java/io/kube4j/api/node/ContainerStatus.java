package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One container in detail, which the kubelet turns into the pod's {@code containerStatuses}.
 *
 * @param startedAt set once RUNNING
 * @param finishedAt set once EXITED
 * @param exitCode meaningful once EXITED, 0 before
 * @param imageRef the image's id or digest ({@code imageID} in the pod status)
 * @param reason CamelCase ({@code Completed}, {@code Error}, {@code OOMKilled}), "" if none
 * @param message human-readable, "" if none
 * @param logPath the absolute path of the container's log
 */
public record ContainerStatus(String id, ContainerMetadata metadata, ContainerState state, Instant createdAt,
                              Optional<Instant> startedAt, Optional<Instant> finishedAt, int exitCode, String image,
                              String imageRef, String reason, String message, Map<String, String> labels,
                              Map<String, String> annotations, String logPath) {
    public ContainerStatus {
        requireNonNull(id, "id is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(image, "image is null");
        requireNonNull(imageRef, "imageRef is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(message, "message is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
        requireNonNull(logPath, "logPath is null");
        if (state == ContainerState.RUNNING && startedAt.isEmpty()) {
            throw new IllegalArgumentException("a RUNNING container has a startedAt");
        }
        if (state == ContainerState.EXITED && finishedAt.isEmpty()) {
            throw new IllegalArgumentException("an EXITED container has a finishedAt");
        }
    }
}
