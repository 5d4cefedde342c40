package io.kube4j.api.auth;

/** An authenticator's answer. */
public sealed interface AuthenticationResult {

    /** The request is from {@code user}. */
    record Authenticated(UserInfo user) implements AuthenticationResult {
    }

    /** This authenticator cannot tell (no credential of its kind): the next one is asked. */
    record NoOpinion() implements AuthenticationResult {
    }

    /** A credential of this authenticator's kind was presented and is invalid: the request fails with 401. */
    record Rejected(String reason) implements AuthenticationResult {
    }

    static AuthenticationResult noOpinion() {
        return new NoOpinion();
    }
}
