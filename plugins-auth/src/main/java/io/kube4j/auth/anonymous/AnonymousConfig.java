package io.kube4j.auth.anonymous;

import java.util.List;

/**
 * Config of the {@code anonymous} authenticator, shaped like kube-apiserver 1.32's
 * {@code AuthenticationConfiguration.anonymous}: {@code {conditions: [{path: /healthz}, ...]}}
 * limits anonymous access to those exact paths (other unauthenticated requests get 401); with no
 * conditions, every request may be anonymous (as {@code --anonymous-auth=true}).
 *
 * @param conditions the paths anonymous requests are accepted on; empty for all
 */
public record AnonymousConfig(List<Condition> conditions) {

    /** One path on which an anonymous request is accepted, matched exactly. */
    public record Condition(String path) {
        public Condition {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("a condition's path must start with '/': " + path);
            }
        }
    }

    public AnonymousConfig {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
