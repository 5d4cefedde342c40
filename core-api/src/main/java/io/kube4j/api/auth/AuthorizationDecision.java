package io.kube4j.api.auth;

import static java.util.Objects.requireNonNull;

/** An authorizer's answer with the reason shown to the user on denial. */
public record AuthorizationDecision(Decision decision, String reason) {
    public enum Decision { ALLOW, DENY, NO_OPINION }

    public AuthorizationDecision {
        requireNonNull(decision, "decision is null");
        requireNonNull(reason, "reason is null");
    }

    public static AuthorizationDecision allow(String reason) {
        return new AuthorizationDecision(Decision.ALLOW, reason);
    }

    public static AuthorizationDecision deny(String reason) {
        return new AuthorizationDecision(Decision.DENY, reason);
    }

    public static AuthorizationDecision noOpinion() {
        return new AuthorizationDecision(Decision.NO_OPINION, "");
    }
}
