package io.kube4j.apiserver.patch;

import java.util.List;

/**
 * A server-side apply that would change fields another manager owns, without {@code force}. The API
 * server answers {@code 409 Conflict} with {@link #getMessage()} (kube's wording, e.g.
 * {@code Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas})
 * and one {@code FieldManagerConflict} cause per {@link Conflict}.
 */
public final class ApplyConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Conflict> conflicts;

    public ApplyConflictException(String message, List<Conflict> conflicts) {
        super(message);
        this.conflicts = List.copyOf(conflicts);
    }

    /** The conflicting fields, each with the manager that owns it. */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /**
     * One conflicting field.
     *
     * @param manager the owner as kube prints it in a cause message: {@code "name"}, plus
     *                {@code using <apiVersion>} for an Update manager (without the quotes of the cause's
     *                {@code conflict with ...} prefix)
     * @param field   the field path as kube prints it, e.g. {@code .spec.replicas} or
     *                {@code .spec.containers[name="nginx"].image}
     */
    public record Conflict(String manager, String field) {
    }
}
