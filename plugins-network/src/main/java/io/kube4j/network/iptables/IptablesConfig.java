package io.kube4j.network.iptables;

/**
 * Config of the {@code iptables} proxy mode. Keys and defaults follow kube-proxy's flags.
 *
 * @param masqueradeAll SNAT every connection to a cluster IP ({@code --masquerade-all}), default false
 * @param clusterCidr the pods' CIDR ({@code --cluster-cidr}): connections to a cluster IP from outside it
 *        are masqueraded; "" (default): none is
 * @param masqueradeBit the bit of the packet mark that asks for SNAT ({@code --iptables-masquerade-bit}),
 *        0..31, default 14 (mark {@code 0x4000})
 * @param localhostNodePorts node ports answer on 127.0.0.1 too ({@code --iptables-localhost-nodeports}),
 *        which sets {@code net.ipv4.conf.all.route_localnet=1} where the rules live; default true
 * @param iptablesRestore the {@code iptables-restore} command, default {@code iptables-restore}
 * @param iptablesSave the {@code iptables-save} command, default {@code iptables-save}
 * @param netns a network namespace (as {@code ip netns list} names it) to write the rules in, through
 *        {@code ip netns exec}; "" (default): the proxy's own namespace
 * @param fullSyncBatch service ports per {@code iptables-restore} transaction in a full sync, default 50;
 *        0: all in one. iptables-nft's {@code --noflush} restore takes time quadratic in a transaction's
 *        size (4 s of CPU for one of 1,000 services of 10 endpoints, 0.4 s in batches of 50)
 */
public record IptablesConfig(Boolean masqueradeAll, String clusterCidr, Integer masqueradeBit,
                             Boolean localhostNodePorts, String iptablesRestore, String iptablesSave,
                             String netns, Integer fullSyncBatch) {
    public IptablesConfig {
        masqueradeAll = masqueradeAll != null && masqueradeAll;
        clusterCidr = clusterCidr == null ? "" : clusterCidr.strip();
        masqueradeBit = masqueradeBit == null ? 14 : masqueradeBit;
        localhostNodePorts = localhostNodePorts == null || localhostNodePorts;
        iptablesRestore = command("iptablesRestore", iptablesRestore);
        iptablesSave = command("iptablesSave", iptablesSave);
        netns = netns == null ? "" : netns.strip();
        fullSyncBatch = fullSyncBatch == null ? 50 : fullSyncBatch;
        if (fullSyncBatch < 0) {
            throw new IllegalArgumentException("fullSyncBatch must be >= 0 (0: one transaction): " + fullSyncBatch);
        }
        if (masqueradeBit < 0 || masqueradeBit > 31) {
            throw new IllegalArgumentException("masqueradeBit must be in 0..31: " + masqueradeBit);
        }
        if (!clusterCidr.isEmpty() && !clusterCidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException("clusterCidr must be an IPv4 CIDR like 10.244.0.0/16: '" + clusterCidr + "'");
        }
        if (netns.contains("/") || netns.startsWith(".")) {
            throw new IllegalArgumentException("netns must be a name from 'ip netns list', not a path: '" + netns + "'");
        }
    }

    public static IptablesConfig defaults() {
        return new IptablesConfig(null, null, null, null, null, null, null, null);
    }

    /** A copy that writes its rules in {@code namespace}. */
    public IptablesConfig withNetns(String namespace) {
        return new IptablesConfig(masqueradeAll, clusterCidr, masqueradeBit, localhostNodePorts, iptablesRestore,
                iptablesSave, namespace, fullSyncBatch);
    }

    /** The packet mark that asks KUBE-POSTROUTING for SNAT, as iptables writes it ({@code 0x4000}). */
    String masqueradeMark() {
        return "0x" + Integer.toHexString(1 << masqueradeBit);
    }

    private static String command(String key, String value) {
        if (value == null) {
            return key.equals("iptablesRestore") ? "iptables-restore" : "iptables-save";
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be blank");
        }
        return value.strip();
    }
}
