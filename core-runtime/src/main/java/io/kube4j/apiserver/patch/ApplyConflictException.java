package io.kube4j.apiserver.patch;

import java.util.List;

/** STUB until the patch work lands. */
public final class ApplyConflictException extends Exception {
    public record Conflict(String manager, String field) {
    }

    private final List<Conflict> conflicts;

    public ApplyConflictException(String message, List<Conflict> conflicts) {
        super(message);
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }
}
