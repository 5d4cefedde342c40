package io.kube4j.apiserver.rest;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who writes and how: the authenticated user, whether the write is a dry run, the field manager
 * recorded in managedFields, the fieldValidation mode (Strict, Warn, Ignore), and the warnings the
 * request collects for its {@code Warning} headers.
 */
public record RequestContext(UserInfo user, boolean dryRun, String fieldManager, String fieldValidation,
                             List<String> warnings) {
    private static final Set<String> FIELD_VALIDATION = Set.of("Strict", "Warn", "Ignore");

    public RequestContext {
        requireNonNull(user, "user is null");
        requireNonNull(fieldManager, "fieldManager is null");
        requireNonNull(fieldValidation, "fieldValidation is null");
        requireNonNull(warnings, "warnings is null");
        if (!FIELD_VALIDATION.contains(fieldValidation)) {
            throw ApiError.badRequest("invalid fieldValidation directive \"" + fieldValidation
                    + "\": must be one of Strict, Warn, Ignore");
        }
    }

    public RequestContext(UserInfo user, boolean dryRun, String fieldManager, String fieldValidation) {
        this(user, dryRun, fieldManager, fieldValidation, new ArrayList<>());
    }

    /** The same request under another field manager (server-side apply's internal writes). */
    public RequestContext withFieldManager(String manager) {
        return new RequestContext(user, dryRun, manager, fieldValidation, warnings);
    }
}
