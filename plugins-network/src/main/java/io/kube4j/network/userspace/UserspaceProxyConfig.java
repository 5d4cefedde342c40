package io.kube4j.network.userspace;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * Config of the {@code userspace} proxy mode.
 *
 * @param interfaceName  {@code interface}: the dummy interface the mode creates to make cluster IPs local addresses
 *                       (default {@code kube4j0}; removed on close; on a kernel without dummy interfaces the
 *                       loopback is used). {@code lo}: the loopback, whose cluster IPs are removed on close.
 *                       {@code ""}: manage none, the cluster IPs must already be local (127.0.0.0/8 ones are)
 * @param connectTimeout how long to wait for an endpoint to accept a TCP connection before trying the next
 *                       one (Go duration, default 1s)
 * @param udpIdleTimeout how long a UDP client's flow to its endpoint lives without packets (default 30s)
 * @param clusterIpsOptional when this process may not make cluster IPs local (it is not root): true serves the
 *                       node ports alone with a warning, false (default) fails the proxy's start
 */
public record UserspaceProxyConfig(@JsonProperty("interface") String interfaceName, String connectTimeout,
                                   String udpIdleTimeout, Boolean clusterIpsOptional) {
    public static final String DEFAULT_INTERFACE = "kube4j0";

    public UserspaceProxyConfig {
        interfaceName = interfaceName == null ? DEFAULT_INTERFACE : interfaceName.strip();
        connectTimeout = connectTimeout == null ? "1s" : connectTimeout;
        udpIdleTimeout = udpIdleTimeout == null ? "30s" : udpIdleTimeout;
        clusterIpsOptional = clusterIpsOptional != null && clusterIpsOptional;
        if (!interfaceName.isEmpty() && !interfaceName.matches("[a-zA-Z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("interface must be a Linux interface name (at most 15 letters, digits, "
                    + "'_', '.', '-'): " + interfaceName);
        }
        if (Durations.parse("connectTimeout", connectTimeout).isZero()) {
            throw new IllegalArgumentException("connectTimeout must be more than 0");
        }
        if (Durations.parse("udpIdleTimeout", udpIdleTimeout).isZero()) {
            throw new IllegalArgumentException("udpIdleTimeout must be more than 0");
        }
    }

    /** The defaults: interface kube4j0, connectTimeout 1s, udpIdleTimeout 30s. */
    public static UserspaceProxyConfig defaults() {
        return new UserspaceProxyConfig(null, null, null, null);
    }

    public Duration connect() {
        return Durations.parse("connectTimeout", connectTimeout);
    }

    public Duration udpIdle() {
        return Durations.parse("udpIdleTimeout", udpIdleTimeout);
    }
}
