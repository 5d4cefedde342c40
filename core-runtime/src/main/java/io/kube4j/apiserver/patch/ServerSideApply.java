package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/** STUB until the patch work lands. */
public final class ServerSideApply {
    private ServerSideApply() {
    }

    public static ObjectNode apply(Optional<ObjectNode> live, ObjectNode applied, String fieldManager, boolean force,
                                   Instant now) throws ApplyConflictException, PatchException {
        throw new PatchException(415, "server-side apply is not implemented yet");
    }

    public static ObjectNode trackUpdate(Optional<ObjectNode> old, ObjectNode updated, String fieldManager, Instant now) {
        return updated;
    }
}
