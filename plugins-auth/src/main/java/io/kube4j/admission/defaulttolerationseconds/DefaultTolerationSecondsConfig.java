package io.kube4j.admission.defaulttolerationseconds;

/**
 * Config of {@code DefaultTolerationSeconds}, as kube-apiserver's flags of the same names.
 *
 * @param defaultNotReadyTolerationSeconds    tolerationSeconds of the added not-ready:NoExecute toleration; default 300
 * @param defaultUnreachableTolerationSeconds tolerationSeconds of the added unreachable:NoExecute toleration; default 300
 */
public record DefaultTolerationSecondsConfig(Long defaultNotReadyTolerationSeconds, Long defaultUnreachableTolerationSeconds) {
    public static final long DEFAULT_SECONDS = 300;

    public DefaultTolerationSecondsConfig {
        defaultNotReadyTolerationSeconds = defaultNotReadyTolerationSeconds == null ? DEFAULT_SECONDS : defaultNotReadyTolerationSeconds;
        defaultUnreachableTolerationSeconds = defaultUnreachableTolerationSeconds == null ? DEFAULT_SECONDS
                : defaultUnreachableTolerationSeconds;
        if (defaultNotReadyTolerationSeconds < 0) {
            throw new IllegalArgumentException("defaultNotReadyTolerationSeconds must not be negative: " + defaultNotReadyTolerationSeconds);
        }
        if (defaultUnreachableTolerationSeconds < 0) {
            throw new IllegalArgumentException("defaultUnreachableTolerationSeconds must not be negative: "
                    + defaultUnreachableTolerationSeconds);
        }
    }

    /** The config with every default. */
    public static DefaultTolerationSecondsConfig defaults() {
        return new DefaultTolerationSecondsConfig(null, null);
    }
}
