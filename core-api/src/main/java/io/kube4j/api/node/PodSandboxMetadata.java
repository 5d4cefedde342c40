package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * Which pod a sandbox is for.
 *
 * @param attempt counts sandboxes made for the same pod (a sandbox dies, the kubelet makes another), from 0
 */
public record PodSandboxMetadata(String name, String uid, String namespace, int attempt) {
    public PodSandboxMetadata {
        requireNonNull(name, "name is null");
        requireNonNull(uid, "uid is null");
        requireNonNull(namespace, "namespace is null");
        if (name.isBlank() || uid.isBlank()) {
            throw new IllegalArgumentException("name and uid are required");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
        }
    }
}
