package io.kube4j.network.dns;

import java.util.List;

/**
 * The {@code dns} add-on's config.
 *
 * @param address       the IPv4 address to listen on; empty (default): the node's IP
 * @param port          the UDP and TCP port to listen on (default 10053, unprivileged; 0: any free port)
 * @param domain        the cluster domain (default {@code cluster.local})
 * @param ttl           the TTL in seconds of cluster answers (default 5, as CoreDNS's kubernetes plugin)
 * @param upstreams     where other names are forwarded, {@code host} or {@code host:port}; empty (default): the
 *                      nameservers of {@code resolvConf}
 * @param resolvConf    the resolv.conf whose nameservers are the upstreams when {@code upstreams} is empty
 *                      (default {@code /etc/resolv.conf})
 * @param clusterIp     the ClusterIP of the {@code kube-system/kube-dns} Service (default 10.96.0.10)
 * @param manageService whether the add-on keeps the kube-dns Service, Endpoints and EndpointSlice (default true)
 * @param udpWorkers    threads that read UDP queries (default 2)
 */
public record DnsConfig(String address, Integer port, String domain, Integer ttl, List<String> upstreams,
                        String resolvConf, String clusterIp, Boolean manageService, Integer udpWorkers) {
    public DnsConfig {
        address = address == null ? "" : address.strip();
        port = port == null ? 10053 : port;
        domain = domain == null ? "cluster.local" : domain.strip().toLowerCase(java.util.Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        ttl = ttl == null ? 5 : ttl;
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
        resolvConf = resolvConf == null ? "/etc/resolv.conf" : resolvConf;
        clusterIp = clusterIp == null ? "10.96.0.10" : clusterIp;
        manageService = manageService == null || manageService;
        udpWorkers = udpWorkers == null ? 2 : udpWorkers;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("domain must not be empty");
        }
        if (ttl < 0) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        if (udpWorkers < 1) {
            throw new IllegalArgumentException("udpWorkers must be at least 1: " + udpWorkers);
        }
    }

    /** The defaults. */
    public static DnsConfig defaults() {
        return new DnsConfig(null, null, null, null, null, null, null, null, null);
    }
}
