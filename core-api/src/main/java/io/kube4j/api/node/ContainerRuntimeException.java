package io.kube4j.api.node;

/**
 * A container runtime or pod network failed (the runtime is down, an image cannot be pulled, an
 * id is unknown where it must exist). The kubelet reports it on the pod and retries with back-off.
 */
public class ContainerRuntimeException extends RuntimeException {

    public ContainerRuntimeException(String message) {
        super(message);
    }

    public ContainerRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
