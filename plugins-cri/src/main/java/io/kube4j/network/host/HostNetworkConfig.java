package io.kube4j.network.host;

/**
 * Config of the {@code host} pod network.
 *
 * @param ip the pods' IP; "" (default): the node's {@code InternalIP} as its kubelet registered it
 */
public record HostNetworkConfig(String ip) {
    public HostNetworkConfig {
        ip = ip == null ? "" : ip.strip();
    }

    public static HostNetworkConfig defaults() {
        return new HostNetworkConfig(null);
    }
}
