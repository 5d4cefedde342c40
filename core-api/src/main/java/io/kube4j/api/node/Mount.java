package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A host path (a volume the kubelet prepared) mounted into a container. */
public record Mount(String containerPath, Path hostPath, boolean readOnly) {
    public Mount {
        requireNonNull(containerPath, "containerPath is null");
        requireNonNull(hostPath, "hostPath is null");
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("containerPath must be absolute: " + containerPath);
        }
    }
}
