package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/** Credentials for pulling from a registry, from the pod's {@code imagePullSecrets}. Never logged: toString hides the password. */
public record RegistryCredentials(String username, String password) {
    public RegistryCredentials {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=***]";
    }
}
