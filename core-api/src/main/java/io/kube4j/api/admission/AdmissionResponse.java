package io.kube4j.api.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** An admission plugin's answer. */
public sealed interface AdmissionResponse {

    /** Let the write go on; a mutating plugin may hand back a changed copy of the object. */
    record Allowed(Optional<ObjectNode> patchedObject, List<String> warnings) implements AdmissionResponse {
        public Allowed {
            requireNonNull(patchedObject, "patchedObject is null");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Refuse the write. {@code code} is the HTTP status (403 Forbidden by default, 422 for
     * invalid content, 404 for a missing namespace...), {@code reason} the Status reason
     * (Forbidden, Invalid, NotFound...), {@code message} what the user reads.
     */
    record Denied(int code, String reason, String message) implements AdmissionResponse {
        public Denied {
            requireNonNull(reason, "reason is null");
            requireNonNull(message, "message is null");
        }
    }

    static AdmissionResponse allow() {
        return new Allowed(Optional.empty(), List.of());
    }

    static AdmissionResponse mutated(ObjectNode object) {
        return new Allowed(Optional.of(object), List.of());
    }

    static AdmissionResponse forbidden(String message) {
        return new Denied(403, "Forbidden", message);
    }
}
