package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * Which container of the pod this is.
 *
 * @param attempt counts restarts of the container in its sandbox, from 0 ({@code restartCount})
 */
public record ContainerMetadata(String name, int attempt) {
    public ContainerMetadata {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
        }
    }
}
