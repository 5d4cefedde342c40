package io.kube4j.network.userspace;

import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;

/** {@code ServiceLoader} entry of the {@code userspace} proxy mode. */
public final class UserspaceProxyModeFactory implements ProxyModeFactory<UserspaceProxyConfig> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserspaceProxyModeFactory.class);
    public static final String NAME = "userspace";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<UserspaceProxyConfig> configType() {
        return UserspaceProxyConfig.class;
    }

    @Override
    public String description() {
        return "a Java TCP/UDP listener per service port on its cluster IP and node port; needs root for the dummy interface";
    }

    /**
     * Creates the dummy interface at once, so that a missing privilege fails the start, not the first
     * sync; with {@code clusterIpsOptional}, a process that is not root serves node ports only. The
     * cluster IPs made local are recorded under the data directory, and those an earlier run left
     * (killed before it could remove them) are removed first.
     */
    @Override
    public ProxyMode create(UserspaceProxyConfig config, ProxyContext context) {
        if (config.interfaceName().isEmpty()) {
            return new UserspaceProxy(config, context.nodeName(), context.nodeIps(), LocalAddresses.NONE);
        }
        if (config.clusterIpsOptional() && !root()) {
            log.warn("userspace proxy: this process is not root, so it cannot make cluster IPs local addresses: node {}"
                    + " serves its node ports only; run kube4j as root for the cluster IPs", context.nodeName());
            return new UserspaceProxy(config, context.nodeName(), context.nodeIps(), LocalAddresses.UNAVAILABLE);
        }
        LocalAddresses addresses = InterfaceAddresses.create(config.interfaceName());
        return new UserspaceProxy(config, context.nodeName(), context.nodeIps(), RecordedAddresses.open(addresses,
                context.dataDir().resolve("proxy").resolve(context.nodeName()).resolve("userspace-cluster-ips")));
    }

    /** Whether this process's effective user is root ({@code /proc/self/status}). */
    static boolean root() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: assume not
        }
        return false;
    }
}
