package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An image the runtime has, as reported in {@code node.status.images}.
 *
 * @param id the image id ({@code sha256:...}); what {@link ContainerStatus#imageRef()} refers to
 * @param repoTags e.g. {@code docker.io/library/nginx:1.27}
 * @param repoDigests e.g. {@code docker.io/library/nginx@sha256:...}
 */
public record Image(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {
    public Image {
        requireNonNull(id, "id is null");
        repoTags = List.copyOf(requireNonNull(repoTags, "repoTags is null"));
        repoDigests = List.copyOf(requireNonNull(repoDigests, "repoDigests is null"));
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
    }
}
