package io.kube4j.network.iptables;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@code iptables-restore} input of the mode: kube-proxy's chains and rules, one
 * {@link PortRules} per service port, so that an incremental sync regenerates only the ports that
 * changed and reuses the others' rules. Pure: no I/O, the same state gives the same text.
 */
final class IptablesRules {
    static final String SERVICES = "KUBE-SERVICES";
    static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    static final String NODE_PORTS = "KUBE-NODEPORTS";
    static final String POSTROUTING = "KUBE-POSTROUTING";
    static final String MARK_MASQ = "KUBE-MARK-MASQ";
    static final String FORWARD = "KUBE-FORWARD";
    static final String FIREWALL = "KUBE-FIREWALL";

    private static final String NODE_PORTS_COMMENT =
            "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";

    /** A rule in a built-in chain that leads into ours; added once, kept as it is afterwards. */
    record Jump(String table, String chain, String rule) {
        Jump {
            requireNonNull(table, "table is null");
            requireNonNull(chain, "chain is null");
            requireNonNull(rule, "rule is null");
        }

        /** The chain it jumps to. */
        String target() {
            return rule.substring(rule.lastIndexOf("-j ") + 3);
        }
    }

    /**
     * Every rule of one service port, by the chain it goes in: full {@code -A ...} lines.
     *
     * @param chains the port's own chains (KUBE-SVC, KUBE-SVL, KUBE-EXT, KUBE-SEP), in the nat table
     * @param info the port the rules are for
     * @param endpointIps the addresses its rules DNAT to
     */
    record PortRules(List<String> natServices, List<String> nodePorts, List<String> filterServices,
                     List<String> filterExternal, Map<String, List<String>> chains, ServicePortInfo info,
                     Set<String> endpointIps) {

        /** Whether its rules in the shared entry chains (KUBE-SERVICES, KUBE-NODEPORTS, filter) are {@code other}'s. */
        boolean sameEntries(PortRules other) {
            return natServices.equals(other.natServices) && nodePorts.equals(other.nodePorts)
                    && filterServices.equals(other.filterServices) && filterExternal.equals(other.filterExternal);
        }
    }

    private final IptablesConfig config;
    private final String nodeName;
    private final String mark;

    IptablesRules(IptablesConfig config, String nodeName) {
        this.config = requireNonNull(config, "config is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.mark = config.masqueradeMark();
    }

    /** The rules that lead from the built-in chains into KUBE-*, kube-proxy's, in their order. */
    List<Jump> jumps() {
        String portals = "-m comment --comment \"kubernetes service portals\" -j " + SERVICES;
        String external = "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j "
                + EXTERNAL_SERVICES;
        List<Jump> jumps = new ArrayList<>(List.of(
                new Jump("filter", "INPUT", external),
                new Jump("filter", "FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -j " + FORWARD),
                new Jump("filter", "FORWARD", "-m conntrack --ctstate NEW " + portals),
                new Jump("filter", "FORWARD", external),
                new Jump("filter", "OUTPUT", "-m conntrack --ctstate NEW " + portals),
                new Jump("nat", "PREROUTING", portals),
                new Jump("nat", "OUTPUT", portals),
                new Jump("nat", "POSTROUTING", "-m comment --comment \"kubernetes postrouting rules\" -j " + POSTROUTING)));
        if (config.localhostNodePorts()) {
            jumps.add(new Jump("filter", "INPUT", "-j " + FIREWALL));
            jumps.add(new Jump("filter", "OUTPUT", "-j " + FIREWALL));
        }
        return List.copyOf(jumps);
    }

    /** Whether this mode routes {@code info}: IPv4 only, as {@code iptables} (not {@code ip6tables}) is. */
    static boolean routes(ServicePortInfo info) {
        return info.clusterIP().indexOf(':') < 0;
    }

    /** The rules of one service port in {@code state}. */
    PortRules portRules(ServicePortName name, ServicePortInfo info, ProxyState state) {
        String comment = name.toString();
        String protocol = info.protocol().name().toLowerCase(Locale.ROOT);
        String protocolMatch = "-m " + protocol + " -p " + protocol;
        List<EndpointInfo> cluster = ipv4(state.usableEndpoints(name));
        List<EndpointInfo> local = ipv4(state.usableLocalEndpoints(name, nodeName));
        boolean internalLocal = info.internalTrafficPolicy() == TrafficPolicy.LOCAL;
        boolean externalLocal = info.externalTrafficPolicy() == TrafficPolicy.LOCAL;
        boolean external = info.nodePort() > 0 || !info.externalIPs().isEmpty() || !info.loadBalancerIPs().isEmpty();

        String serviceChain = ChainNames.service(name);
        String localChain = ChainNames.local(name);
        String externalChain = ChainNames.external(name);
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String> natServices = new ArrayList<>();
        List<String> nodePorts = new ArrayList<>();
        List<String> filterServices = new ArrayList<>();
        List<String> filterExternal = new ArrayList<>();

        String clusterIpMatch = protocolMatch + " -d " + info.clusterIP() + " --dport " + info.port();
        List<EndpointInfo> internal = internalLocal ? local : cluster;
        String internalChain = internalLocal ? localChain : serviceChain;
        if (!internal.isEmpty()) {
            natServices.add("-A " + SERVICES + " -m comment --comment \"" + comment + " cluster IP\" " + clusterIpMatch
                    + " -j " + internalChain);
        } else {
            filterServices.add("-A " + SERVICES + " -m comment --comment \"" + comment + noEndpoints(cluster) + "\" "
                    + clusterIpMatch + " -j " + refusal(cluster));
        }
        if (!cluster.isEmpty()) {
            List<String> rules = new ArrayList<>();
            if (!internalLocal) {
                masqueradeClusterIp(rules, serviceChain, comment, clusterIpMatch);
            }
            balance(rules, serviceChain, name, info, cluster);
            chains.put(serviceChain, rules);
        }
        if (internalLocal || (external && externalLocal)) {
            List<String> rules = new ArrayList<>();
            if (internalLocal) {
                masqueradeClusterIp(rules, localChain, comment, clusterIpMatch);
            }
            balance(rules, localChain, name, info, local);
            chains.put(localChain, rules);
        }
        if (external) {
            List<EndpointInfo> reachable = externalLocal ? local : cluster;
            if (!cluster.isEmpty()) {
                chains.put(externalChain, externalRules(externalChain, comment, externalLocal));
            }
            String refusal = "-m comment --comment \"" + comment + noEndpoints(cluster) + "\" ";
            if (info.nodePort() > 0) {
                if (!cluster.isEmpty()) {
                    nodePorts.add("-A " + NODE_PORTS + " -m comment --comment \"" + comment + "\" " + protocolMatch
                            + " --dport " + info.nodePort() + " -j " + externalChain);
                }
                if (reachable.isEmpty()) {
                    filterExternal.add("-A " + EXTERNAL_SERVICES + " " + refusal + "-m addrtype --dst-type LOCAL "
                            + protocolMatch + " --dport " + info.nodePort() + " -j " + refusal(cluster));
                }
            }
            addressRules(info.externalIPs(), "external IP", comment, protocolMatch, info.port(), cluster, reachable,
                    externalChain, natServices, filterExternal);
            addressRules(info.loadBalancerIPs(), "loadbalancer IP", comment, protocolMatch, info.port(), cluster, reachable,
                    externalChain, natServices, filterExternal);
        }
        Set<EndpointInfo> endpoints = new LinkedHashSet<>();
        if (chains.containsKey(serviceChain)) {
            endpoints.addAll(cluster);
        }
        if (chains.containsKey(localChain)) {
            endpoints.addAll(local);
        }
        for (EndpointInfo endpoint : endpoints) {
            String chain = ChainNames.endpoint(name, endpoint.address());
            String recent = info.sessionAffinity() == SessionAffinity.CLIENT_IP ? "-m recent --name " + chain + " --set " : "";
            chains.put(chain, List.of(
                    "-A " + chain + " -m comment --comment \"" + comment + "\" -s " + endpoint.ip() + " -j " + MARK_MASQ,
                    "-A " + chain + " -m comment --comment \"" + comment + "\" " + recent + protocolMatch
                            + " -j DNAT --to-destination " + endpoint.address()));
        }
        Set<String> endpointIps = new LinkedHashSet<>();
        endpoints.forEach(endpoint -> endpointIps.add(endpoint.ip()));
        return new PortRules(List.copyOf(natServices), List.copyOf(nodePorts), List.copyOf(filterServices),
                List.copyOf(filterExternal), chains, info, endpointIps);
    }

    /**
     * The input of a full sync: every chain of ours, declared (which flushes it) and written; the
     * {@code stale} per-service chains flushed and deleted; the {@code missing} jumps inserted.
     *
     * <p>One nat transaction when there are at most {@code batch} ports (or {@code batch} is 0).
     * Else the ports' own chains go in transactions of {@code batch} ports each, and the entry
     * chains, which make the new chains reachable, and the deletions in a last one: iptables-nft
     * takes time quadratic in the size of a {@code --noflush} transaction, and each port's chains
     * are consistent by themselves, so no packet ever sees half a port.
     */
    String full(List<PortRules> ports, Set<String> stale, List<Jump> missing, int batch) {
        StringBuilder out = new StringBuilder(256 + ports.size() * 2048);
        out.append("*filter\n");
        declare(out, SERVICES, EXTERNAL_SERVICES, FORWARD);
        if (config.localhostNodePorts()) {
            declare(out, FIREWALL);
        }
        filterRules(out, ports);
        out.append("-A ").append(FORWARD).append(" -m conntrack --ctstate INVALID -j DROP\n");
        out.append("-A ").append(FORWARD).append(" -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ")
                .append(mark).append('/').append(mark).append(" -j ACCEPT\n");
        out.append("-A ").append(FORWARD).append(" -m comment --comment \"kubernetes forwarding conntrack rule\"")
                .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        if (config.localhostNodePorts()) {
            // route_localnet lets 127.0.0.1 be routed; kube-proxy keeps others from using that to reach local services.
            out.append("-A ").append(FIREWALL).append(" ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment")
                    .append(" \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
        }
        insertJumps(out, "filter", missing);
        out.append("COMMIT\n");
        if (batch == 0 || ports.size() <= batch) {
            out.append("*nat\n");
            declare(out, SERVICES, NODE_PORTS, POSTROUTING, MARK_MASQ);
            for (PortRules port : ports) {
                declare(out, port.chains().keySet());
            }
            declare(out, stale);
            fixedNatRules(out);
            natEntryRules(out, ports);
            for (PortRules port : ports) {
                chainRules(out, port);
            }
        } else {
            out.append("*nat\n");
            declare(out, POSTROUTING, MARK_MASQ);
            fixedNatRules(out);
            out.append("COMMIT\n");
            for (int from = 0; from < ports.size(); from += batch) {
                List<PortRules> some = ports.subList(from, Math.min(ports.size(), from + batch));
                out.append("*nat\n");
                for (PortRules port : some) {
                    declare(out, port.chains().keySet());
                }
                for (PortRules port : some) {
                    chainRules(out, port);
                }
                out.append("COMMIT\n");
            }
            out.append("*nat\n");
            declare(out, SERVICES, NODE_PORTS);
            declare(out, stale);
            natEntryRules(out, ports);
        }
        delete(out, stale);
        insertJumps(out, "nat", missing);
        out.append("COMMIT\n");
        return out.toString();
    }

    /**
     * The input of an incremental sync: the own chains of the {@code changed} ports rewritten and the
     * {@code stale} chains (of ports that changed or went) deleted. With {@code entries}, also
     * KUBE-SERVICES, KUBE-NODEPORTS and the filter chains, rewritten from all {@code ports}: needed
     * when a port came, went, or gained or lost its last endpoint, not when only its endpoints moved.
     */
    String incremental(Collection<PortRules> ports, Collection<PortRules> changed, Set<String> stale, boolean entries) {
        StringBuilder out = new StringBuilder(256 + (entries ? ports.size() * 200 : 0) + changed.size() * 2048);
        if (entries) {
            out.append("*filter\n");
            declare(out, SERVICES, EXTERNAL_SERVICES);
            filterRules(out, ports);
            out.append("COMMIT\n");
        }
        out.append("*nat\n");
        if (entries) {
            declare(out, SERVICES, NODE_PORTS);
        }
        for (PortRules port : changed) {
            declare(out, port.chains().keySet());
        }
        declare(out, stale);
        if (entries) {
            natEntryRules(out, ports);
        }
        for (PortRules port : changed) {
            chainRules(out, port);
        }
        delete(out, stale);
        out.append("COMMIT\n");
        return out.toString();
    }

    private void fixedNatRules(StringBuilder out) {
        out.append("-A ").append(POSTROUTING).append(" -m mark ! --mark ").append(mark).append('/').append(mark)
                .append(" -j RETURN\n");
        // Cleared so that a packet which is re-routed through the chains again is not masqueraded twice.
        out.append("-A ").append(POSTROUTING).append(" -j MARK --xor-mark ").append(mark).append('\n');
        out.append("-A ").append(POSTROUTING).append(" -m comment --comment \"kubernetes service traffic requiring SNAT\"")
                .append(" -j MASQUERADE --random-fully\n");
        out.append("-A ").append(MARK_MASQ).append(" -j MARK --or-mark ").append(mark).append('\n');
    }

    private void masqueradeClusterIp(List<String> rules, String chain, String comment, String clusterIpMatch) {
        if (config.masqueradeAll()) {
            rules.add("-A " + chain + " -m comment --comment \"" + comment + " cluster IP\" " + clusterIpMatch
                    + " -j " + MARK_MASQ);
        } else if (!config.clusterCidr().isEmpty()) {
            rules.add("-A " + chain + " -m comment --comment \"" + comment + " cluster IP\" " + clusterIpMatch
                    + " ! -s " + config.clusterCidr() + " -j " + MARK_MASQ);
        }
    }

    /**
     * Spreads new connections evenly: the i-th of n rules matches with probability 1/(n-i), so each
     * endpoint gets 1/n overall. With ClientIP affinity a client seen recently goes where it went.
     */
    private static void balance(List<String> rules, String chain, ServicePortName name, ServicePortInfo info,
                                List<EndpointInfo> endpoints) {
        if (info.sessionAffinity() == SessionAffinity.CLIENT_IP) {
            for (EndpointInfo endpoint : endpoints) {
                String target = ChainNames.endpoint(name, endpoint.address());
                rules.add("-A " + chain + " -m comment --comment \"" + name + " -> " + endpoint.address() + "\" -m recent --name "
                        + target + " --rcheck --seconds " + info.stickyMaxAge().toSeconds() + " --reap -j " + target);
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            EndpointInfo endpoint = endpoints.get(i);
            String statistic = i < n - 1
                    ? String.format(Locale.ROOT, "-m statistic --mode random --probability %.10f ", 1.0 / (n - i))
                    : "";
            rules.add("-A " + chain + " -m comment --comment \"" + name + " -> " + endpoint.address() + "\" " + statistic
                    + "-j " + ChainNames.endpoint(name, endpoint.address()));
        }
    }

    private List<String> externalRules(String chain, String comment, boolean local) {
        String serviceChain = ChainNames.SERVICE_PREFIX + chain.substring(ChainNames.EXTERNAL_PREFIX.length());
        String localChain = ChainNames.LOCAL_PREFIX + chain.substring(ChainNames.EXTERNAL_PREFIX.length());
        if (!local) {
            return List.of(
                    "-A " + chain + " -m comment --comment \"masquerade traffic for " + comment + " external destinations\" -j "
                            + MARK_MASQ,
                    "-A " + chain + " -j " + serviceChain);
        }
        List<String> rules = new ArrayList<>();
        if (!config.clusterCidr().isEmpty()) {
            rules.add("-A " + chain + " -s " + config.clusterCidr() + " -m comment --comment \"pod traffic for " + comment
                    + " external destinations\" -j " + serviceChain);
        }
        // The node's own connections have no local source to keep: they may go to any endpoint.
        rules.add("-A " + chain + " -m comment --comment \"masquerade LOCAL traffic for " + comment
                + " external destinations\" -m addrtype --src-type LOCAL -j " + MARK_MASQ);
        rules.add("-A " + chain + " -m comment --comment \"route LOCAL traffic for " + comment
                + " external destinations\" -m addrtype --src-type LOCAL -j " + serviceChain);
        rules.add("-A " + chain + " -j " + localChain);
        return rules;
    }

    private static void addressRules(List<String> addresses, String kind, String comment, String protocolMatch, int port,
                                     List<EndpointInfo> cluster, List<EndpointInfo> reachable, String externalChain,
                                     List<String> natServices, List<String> filterExternal) {
        for (String address : addresses) {
            if (address.indexOf(':') >= 0) {
                continue;
            }
            String match = protocolMatch + " -d " + address + " --dport " + port;
            if (!cluster.isEmpty()) {
                natServices.add("-A " + SERVICES + " -m comment --comment \"" + comment + " " + kind + "\" " + match
                        + " -j " + externalChain);
            }
            if (reachable.isEmpty()) {
                filterExternal.add("-A " + EXTERNAL_SERVICES + " -m comment --comment \"" + comment + noEndpoints(cluster)
                        + "\" " + match + " -j " + refusal(cluster));
            }
        }
    }

    /** No endpoint at all refuses the connection at once; endpoints elsewhere only (LOCAL policy) drop it, as kube-proxy. */
    private static String refusal(List<EndpointInfo> cluster) {
        return cluster.isEmpty() ? "REJECT" : "DROP";
    }

    private static String noEndpoints(List<EndpointInfo> cluster) {
        return cluster.isEmpty() ? " has no endpoints" : " has no local endpoints";
    }

    private static List<EndpointInfo> ipv4(List<EndpointInfo> endpoints) {
        return endpoints.stream().filter(endpoint -> endpoint.ip().indexOf(':') < 0).toList();
    }

    private static void filterRules(StringBuilder out, Collection<PortRules> ports) {
        for (PortRules port : ports) {
            lines(out, port.filterServices());
        }
        for (PortRules port : ports) {
            lines(out, port.filterExternal());
        }
    }

    private void natEntryRules(StringBuilder out, Collection<PortRules> ports) {
        for (PortRules port : ports) {
            lines(out, port.natServices());
        }
        out.append("-A ").append(SERVICES).append(" -m comment --comment ").append(NODE_PORTS_COMMENT)
                .append(config.localhostNodePorts() ? "" : " ! -d 127.0.0.0/8")
                .append(" -m addrtype --dst-type LOCAL -j ").append(NODE_PORTS).append('\n');
        for (PortRules port : ports) {
            lines(out, port.nodePorts());
        }
    }

    private static void chainRules(StringBuilder out, PortRules port) {
        for (List<String> rules : port.chains().values()) {
            lines(out, rules);
        }
    }

    private static void insertJumps(StringBuilder out, String table, List<Jump> jumps) {
        // Inserted at the top in reverse, so that they end up in the order kube-proxy has them, before other rules.
        for (int i = jumps.size() - 1; i >= 0; i--) {
            Jump jump = jumps.get(i);
            if (jump.table().equals(table)) {
                out.append("-I ").append(jump.chain()).append(" 1 ").append(jump.rule()).append('\n');
            }
        }
    }

    private static void declare(StringBuilder out, String... chains) {
        declare(out, List.of(chains));
    }

    private static void declare(StringBuilder out, Collection<String> chains) {
        for (String chain : chains) {
            out.append(':').append(chain).append(" - [0:0]\n");
        }
    }

    private static void delete(StringBuilder out, Collection<String> chains) {
        for (String chain : chains) {
            out.append("-X ").append(chain).append('\n');
        }
    }

    private static void lines(StringBuilder out, List<String> lines) {
        for (String line : lines) {
            out.append(line).append('\n');
        }
    }
}
