package io.kube4j.auth.token;

import static java.util.Objects.requireNonNull;

/**
 * Config of the {@code token} authenticator.
 *
 * @param file the token CSV file; relative paths resolve against the cluster's data directory
 */
public record TokenConfig(String file) {
    public TokenConfig {
        requireNonNull(file, "file is null: the token authenticator needs 'file', the path of its token CSV file");
        if (file.isBlank()) {
            throw new IllegalArgumentException("file is blank: the token authenticator needs 'file', the path of its token CSV file");
        }
    }
}
