package io.kube4j.network.userspace;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.TrafficPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code userspace} proxy mode. Each TCP or UDP service port has listeners on its cluster IP
 * and, for a node port, on each node IP; a changed port is reopened, its endpoints are swapped in
 * place. SCTP ports, external and load-balancer IPs are not proxied.
 */
final class UserspaceProxy implements ProxyMode {
    private static final Logger log = LoggerFactory.getLogger(UserspaceProxy.class);

    private final UserspaceProxyConfig config;
    private final String nodeName;
    private final List<String> nodeIps;
    private final LocalAddresses addresses;
    private final Map<ServicePortName, Port> ports = new HashMap<>();
    private final Set<String> localIps = new HashSet<>();
    private final Set<ServicePortName> skipped = new HashSet<>();
    private boolean closed;

    UserspaceProxy(UserspaceProxyConfig config, String nodeName, List<String> nodeIps, LocalAddresses addresses) {
        this.config = requireNonNull(config, "config is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.nodeIps = List.copyOf(requireNonNull(nodeIps, "nodeIps is null"));
        this.addresses = requireNonNull(addresses, "addresses is null");
    }

    /** One proxied service port: what it was opened for, its balancers and its listeners. */
    private record Port(ServicePortInfo info, Balancer internal, Balancer external, List<Listener> listeners) {
        void close() {
            listeners.forEach(Listener::close);
        }
    }

    @Override
    public void sync(ProxyState state) {
        Set<ServicePortName> all = new HashSet<>(ports.keySet());
        all.addAll(state.services().keySet());
        apply(state, all);
    }

    @Override
    public void syncChanged(ProxyState state, Set<ServicePortName> changed) {
        apply(state, changed);
    }

    private void apply(ProxyState state, Set<ServicePortName> names) {
        for (ServicePortName name : names) {
            Port port = ports.get(name);
            if (port != null && !port.info().equals(wanted(state, name))) {
                port.close();
                ports.remove(name);
                log.info("userspace proxy: {} closed", name);
            }
        }
        Set<String> clusterIps = new HashSet<>();
        for (var entry : state.services().entrySet()) {
            if (wanted(state, entry.getKey()) != null) {
                clusterIps.add(entry.getValue().clusterIP());
            }
        }
        if (addresses.available()) {
            for (String ip : clusterIps) {
                if (!localIps.contains(ip)) {
                    addresses.add(ip);
                    localIps.add(ip);
                }
            }
        }
        // A port that cannot be opened (its address taken by another program) does not keep the others
        // closed: they open, and the sync fails afterwards, to be retried.
        List<String> failed = new ArrayList<>();
        for (ServicePortName name : names) {
            ServicePortInfo info = wanted(state, name);
            if (info == null) {
                continue;
            }
            Port port = ports.get(name);
            if (port == null) {
                try {
                    ports.put(name, open(name, info, state));
                } catch (RuntimeException e) {
                    failed.add(e.getMessage());
                }
            } else {
                update(name, port, state);
            }
        }
        for (String ip : List.copyOf(localIps)) {
            if (!clusterIps.contains(ip)) {
                addresses.remove(ip);
                localIps.remove(ip);
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " service ports could not be opened: " + String.join("; ", failed));
        }
    }

    /** The info of a port this mode proxies, or null: gone, or SCTP. */
    private ServicePortInfo wanted(ProxyState state, ServicePortName name) {
        ServicePortInfo info = state.services().get(name);
        if (info != null && info.protocol() == Protocol.SCTP) {
            if (skipped.add(name)) {
                log.warn("userspace proxy: {} is SCTP, which the userspace mode does not proxy", name);
            }
            return null;
        }
        return info;
    }

    private Port open(ServicePortName name, ServicePortInfo info, ProxyState state) {
        Balancer internal = new Balancer();
        Balancer external = info.internalTrafficPolicy() == info.externalTrafficPolicy() ? internal : new Balancer();
        Port port = new Port(info, internal, external, new ArrayList<>());
        update(name, port, state);
        try {
            if (addresses.available()) {
                port.listeners().add(listen(name, info.protocol(), new InetSocketAddress(info.clusterIP(), info.port()), internal));
            }
            if (info.nodePort() > 0) {
                for (String ip : nodeIps) {
                    port.listeners().add(listen(name, info.protocol(), new InetSocketAddress(ip, info.nodePort()), external));
                }
            }
        } catch (RuntimeException e) {
            port.close();
            throw e;
        }
        log.info("userspace proxy: {} on {}{} ({} endpoints usable)", name,
                addresses.available() ? info.clusterIP() + ":" + info.port() : "no cluster IP",
                info.nodePort() > 0 ? " and node port " + info.nodePort() : "", state.usableEndpoints(name).size());
        return port;
    }

    private Listener listen(ServicePortName name, Protocol protocol, InetSocketAddress address, Balancer balancer) {
        return protocol == Protocol.UDP
                ? new UdpListener(name.toString(), address, balancer, config.udpIdle())
                : new TcpListener(name.toString(), address, balancer, config.connect());
    }

    private void update(ServicePortName name, Port port, ProxyState state) {
        ServicePortInfo info = port.info();
        port.internal().update(usable(state, name, info.internalTrafficPolicy()), info.sessionAffinity(), info.stickyMaxAge());
        if (port.external() != port.internal()) {
            port.external().update(usable(state, name, info.externalTrafficPolicy()), info.sessionAffinity(),
                    info.stickyMaxAge());
        }
    }

    private List<EndpointInfo> usable(ProxyState state, ServicePortName name, TrafficPolicy policy) {
        return policy == TrafficPolicy.LOCAL ? state.usableLocalEndpoints(name, nodeName) : state.usableEndpoints(name);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ports.values().forEach(Port::close);
        ports.clear();
        for (String ip : List.copyOf(localIps)) {
            try {
                addresses.remove(ip);
            } catch (RuntimeException e) {
                log.warn("userspace proxy: {}", e.getMessage());
            }
        }
        localIps.clear();
        addresses.close();
    }
}
