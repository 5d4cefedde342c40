package io.kube4j.network.iptables;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code iptables} mode: writes kube-proxy's chains with {@code iptables-restore --noflush}, the
 * whole KUBE-* set on {@link #sync}, only KUBE-SERVICES and the changed ports' chains on
 * {@link #syncChanged} (and not even KUBE-SERVICES when only endpoints moved). Remembers the rules
 * of each port it last wrote, so that a sync knows which chains to delete without dumping the
 * tables; it reads {@code iptables-save} at the first sync and after a failure, which also makes
 * the next call a full sync.
 */
final class IptablesProxyMode implements ProxyMode {
    private static final Logger log = LoggerFactory.getLogger(IptablesProxyMode.class);

    /** KUBE-SERVICES order: stable, so that the same state gives the same rules. */
    static final Comparator<ServicePortName> ORDER = Comparator.comparing(ServicePortName::namespace)
            .thenComparing(ServicePortName::name).thenComparing(ServicePortName::port)
            .thenComparing(ServicePortName::protocol);

    private final IptablesConfig config;
    private final IptablesRules rules;
    private final IptablesCommands commands;
    private final Set<ServicePortName> skipped = new HashSet<>();
    private Map<ServicePortName, IptablesRules.PortRules> written = new TreeMap<>(ORDER);
    private boolean synced;
    private boolean localnetSet;

    IptablesProxyMode(IptablesConfig config, String nodeName) {
        this.config = requireNonNull(config, "config is null");
        this.rules = new IptablesRules(config, nodeName);
        this.commands = new IptablesCommands(config);
    }

    @Override
    public void sync(ProxyState state) {
        requireNonNull(state, "state is null");
        if (config.localhostNodePorts() && !localnetSet) {
            // Without it the kernel drops 127.0.0.1 packets that DNAT sends elsewhere.
            commands.sysctl("net.ipv4.conf.all.route_localnet", "1");
            localnetSet = true;
        }
        Map<ServicePortName, IptablesRules.PortRules> all = new TreeMap<>(ORDER);
        state.services().forEach((name, info) -> {
            if (routable(name, info)) {
                all.put(name, rules.portRules(name, info, state));
            }
        });
        // What is in the kernel: read at start (chains of an earlier run) and after a failure; else
        // what the last successful restore wrote, which saves dumping tens of thousands of rules.
        Set<String> existing = new HashSet<>();
        List<IptablesRules.Jump> missing = List.of();
        if (synced) {
            written.values().forEach(port -> existing.addAll(port.chains().keySet()));
        } else {
            SavedRules saved = SavedRules.parse(commands.save());
            existing.addAll(saved.perServiceChains());
            missing = rules.jumps().stream().filter(jump -> !saved.has(jump)).toList();
        }
        Set<String> stale = new TreeSet<>(existing);
        all.values().forEach(port -> stale.removeAll(port.chains().keySet()));
        synced = false;
        commands.restore(rules.full(new ArrayList<>(all.values()), stale, missing, config.fullSyncBatch()));
        Set<ServicePortName> names = new HashSet<>(written.keySet());
        names.addAll(all.keySet());
        forgetStaleFlows(written, all, names);
        written = all;
        synced = true;
        log.debug("iptables: wrote {} service ports, deleted {} chains", all.size(), stale.size());
    }

    @Override
    public void syncChanged(ProxyState state, Set<ServicePortName> changed) {
        requireNonNull(state, "state is null");
        requireNonNull(changed, "changed is null");
        if (!synced) {
            sync(state);
            return;
        }
        if (changed.isEmpty()) {
            return;
        }
        Map<ServicePortName, IptablesRules.PortRules> all = new TreeMap<>(ORDER);
        all.putAll(written);
        List<IptablesRules.PortRules> rewritten = new ArrayList<>();
        Set<String> stale = new TreeSet<>();
        boolean entries = false;
        for (ServicePortName name : changed) {
            ServicePortInfo info = state.services().get(name);
            IptablesRules.PortRules now = info != null && routable(name, info) ? rules.portRules(name, info, state) : null;
            IptablesRules.PortRules before = now == null ? all.remove(name) : all.put(name, now);
            if (before != null) {
                stale.addAll(before.chains().keySet());
            }
            if (now != null) {
                rewritten.add(now);
            }
            entries |= before == null || now == null || !before.sameEntries(now);
        }
        // Another changed port may own a chain a first one gave up: only chains nobody wants go.
        rewritten.forEach(port -> stale.removeAll(port.chains().keySet()));
        synced = false;
        commands.restore(rules.incremental(all.values(), rewritten, stale, entries));
        forgetStaleFlows(written, all, changed);
        written = all;
        synced = true;
    }

    /**
     * UDP has no connection to end: conntrack keeps sending a client's datagrams where the first one
     * went until the entry idles out. So, as kube-proxy, delete the entries towards endpoints that went,
     * and those of a port that had no endpoint (they point nowhere), for its cluster IP, external IPs
     * and node port. A failure here is logged: the rules are already right.
     */
    private void forgetStaleFlows(Map<ServicePortName, IptablesRules.PortRules> before,
                                  Map<ServicePortName, IptablesRules.PortRules> after, Set<ServicePortName> names) {
        for (ServicePortName name : names) {
            IptablesRules.PortRules old = before.get(name);
            IptablesRules.PortRules now = after.get(name);
            if (old == null && now == null || (now != null ? now : old).info().protocol() != Protocol.UDP) {
                continue;
            }
            ServicePortInfo info = (now != null ? now : old).info();
            List<List<String>> destinations = new ArrayList<>();
            destinations.add(List.of("--orig-dst", info.clusterIP(), "--orig-port-dst", String.valueOf(info.port())));
            info.externalIPs().forEach(ip -> destinations.add(List.of("--orig-dst", ip, "--orig-port-dst", String.valueOf(info.port()))));
            if (info.nodePort() > 0) {
                destinations.add(List.of("--orig-port-dst", String.valueOf(info.nodePort())));
            }
            Set<String> gone = new TreeSet<>(old == null ? Set.of() : old.endpointIps());
            if (now != null) {
                gone.removeAll(now.endpointIps());
            }
            // Not at the first sync: flows that predate this process were routed by the same rules.
            boolean wokeUp = now != null && !now.endpointIps().isEmpty()
                    && (old != null ? old.endpointIps().isEmpty() : !before.isEmpty());
            try {
                for (List<String> destination : destinations) {
                    if (wokeUp) {
                        commands.conntrackDelete(filter(destination, List.of()));
                    }
                    for (String ip : gone) {
                        commands.conntrackDelete(filter(destination, List.of("--dst-nat", ip)));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("iptables: cannot delete the stale UDP conntrack entries of {}: {}", name, e.getMessage());
            }
        }
    }

    private static List<String> filter(List<String> destination, List<String> more) {
        List<String> filter = new ArrayList<>(List.of("-p", "udp"));
        filter.addAll(destination);
        filter.addAll(more);
        return filter;
    }

    /** Leaves the rules in the kernel, as kube-proxy does, so that services keep working across a restart. */
    @Override
    public void close() {
    }

    private boolean routable(ServicePortName name, ServicePortInfo info) {
        if (IptablesRules.routes(info)) {
            return true;
        }
        if (skipped.add(name)) {
            log.warn("iptables: {} has the IPv6 cluster IP {}: not routed (only IPv4 is)", name, info.clusterIP());
        }
        return false;
    }
}
