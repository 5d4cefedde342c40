package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * Whether the runtime can run pods; when not, the kubelet reports the node NotReady with this reason.
 *
 * @param reason CamelCase, empty when ready
 */
public record RuntimeStatus(boolean ready, String reason, String message) {
    public RuntimeStatus {
        requireNonNull(reason, "reason is null");
        requireNonNull(message, "message is null");
        if (!ready && reason.isBlank()) {
            throw new IllegalArgumentException("a runtime that is not ready needs a reason");
        }
    }

    public static final RuntimeStatus READY = new RuntimeStatus(true, "", "");
}
