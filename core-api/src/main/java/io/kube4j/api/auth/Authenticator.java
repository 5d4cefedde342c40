package io.kube4j.api.auth;

/**
 * Tells who sent a request. The API server asks each configured authenticator in profile order
 * and takes the first {@link AuthenticationResult.Authenticated} or
 * {@link AuthenticationResult.Rejected}; if all say no opinion the request is unauthorized (401).
 *
 * <p>Called on every request, concurrently: must be thread-safe and must not do I/O (keep what
 * you need in memory).
 */
public interface Authenticator {
    AuthenticationResult authenticate(AuthenticationRequest request);
}
