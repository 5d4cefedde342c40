package io.kube4j.network.bridge;

/**
 * Config of the {@code bridge} pod network.
 *
 * @param cniBinDir where the CNI plugin executables are (default {@code /usr/lib/cni}, Debian's)
 * @param bridge    the node's bridge; "" (default): {@code k4j} and a hash of the node's name, so
 *                  that the nodes sharing a machine each have their own
 * @param podCidr   the pods' subnet; "" (default): the Node's {@code spec.podCIDR}, which the
 *                  {@code nodeipam} controller assigns
 * @param netns     the network namespace the bridge lives in, by {@code ip netns} name; "" (default):
 *                  the kubelet's own. Tests, and nodes that live in a namespace, set it
 * @param ipMasq    masquerade pod traffic that leaves the pod subnet (off: pods reach each other,
 *                  on any node, with their own addresses)
 * @param mtu       the veth and bridge MTU; 0 (default): the CNI plugin's default
 */
public record BridgeNetworkConfig(String cniBinDir, String bridge, String podCidr, String netns, Boolean ipMasq,
                                  Integer mtu) {
    public BridgeNetworkConfig {
        cniBinDir = cniBinDir == null || cniBinDir.isBlank() ? "/usr/lib/cni" : cniBinDir.strip();
        bridge = bridge == null ? "" : bridge.strip();
        podCidr = podCidr == null ? "" : podCidr.strip();
        netns = netns == null ? "" : netns.strip();
        ipMasq = ipMasq != null && ipMasq;
        mtu = mtu == null ? 0 : mtu;
        if (bridge.length() > 15) {
            throw new IllegalArgumentException("bridge must be at most 15 characters (a Linux interface name): " + bridge);
        }
        if (!podCidr.isEmpty() && !podCidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException("podCidr must be an IPv4 CIDR such as 10.244.0.0/24: " + podCidr);
        }
        if (mtu != 0 && (mtu < 576 || mtu > 65535)) {
            throw new IllegalArgumentException("mtu must be 0 (the plugin's default) or in 576..65535: " + mtu);
        }
    }

    public static BridgeNetworkConfig defaults() {
        return new BridgeNetworkConfig(null, null, null, null, null, null);
    }
}
