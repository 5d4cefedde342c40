package io.kube4j.apiserver.rest;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.auth.UserInfo;

/**
 * Who writes and how: the authenticated user, whether the write is a dry run, the field manager
 * recorded in managedFields, and the fieldValidation mode (Strict, Warn, Ignore).
 */
public record RequestContext(UserInfo user, boolean dryRun, String fieldManager, String fieldValidation) {
    public RequestContext {
        requireNonNull(user, "user is null");
        requireNonNull(fieldManager, "fieldManager is null");
        requireNonNull(fieldValidation, "fieldValidation is null");
    }
}
