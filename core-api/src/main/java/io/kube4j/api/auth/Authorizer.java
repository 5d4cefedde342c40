package io.kube4j.api.auth;

/**
 * Decides whether a user may do something. The API server asks each configured authorizer in
 * profile order; the first ALLOW or DENY decides, and if all say NO_OPINION the request is
 * forbidden (403). Also answers {@code SelfSubjectAccessReview} ({@code kubectl auth can-i}).
 *
 * <p>Hot path: thread-safe, no I/O (read snapshots).
 */
public interface Authorizer {
    AuthorizationDecision authorize(AuthorizationAttributes attributes);
}
