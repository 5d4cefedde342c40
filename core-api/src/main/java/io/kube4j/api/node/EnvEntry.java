package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * One environment variable of a container, already resolved by the kubelet (no {@code valueFrom},
 * {@code $(VAR)} expanded). Named apart from fabric8's {@code EnvVar}, which it is made from.
 */
public record EnvEntry(String key, String value) {
    public EnvEntry {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        if (key.isEmpty() || key.indexOf('=') >= 0) {
            throw new IllegalArgumentException("invalid environment variable name: '" + key + "'");
        }
    }
}
