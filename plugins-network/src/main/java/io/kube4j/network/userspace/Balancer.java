package io.kube4j.network.userspace;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.SessionAffinity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the endpoint of each new connection of one service port: round robin, or with ClientIP
 * affinity the endpoint the client had last, while it is still usable and the client was seen
 * within the affinity's timeout (the userspace kube-proxy's LoadBalancerRR). Updated by the sync
 * thread, read by the connection threads: the endpoint list is replaced, never changed.
 */
final class Balancer {
    private volatile List<InetSocketAddress> endpoints = List.of();
    private volatile SessionAffinity affinity = SessionAffinity.NONE;
    private volatile long stickyNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<InetAddress, Sticky> sticky = new ConcurrentHashMap<>();

    private record Sticky(InetSocketAddress endpoint, long lastUsed) {
    }

    /** Takes the usable endpoints of the port and its affinity; sticky clients of endpoints gone are forgotten. */
    void update(List<EndpointInfo> usable, SessionAffinity sessionAffinity, Duration stickyMaxAge) {
        List<InetSocketAddress> list = usable.stream()
                .map(e -> new InetSocketAddress(e.ip(), e.port()))
                .toList();
        affinity = sessionAffinity;
        stickyNanos = stickyMaxAge.toNanos();
        if (sessionAffinity == SessionAffinity.NONE) {
            sticky.clear();
        } else {
            sticky.values().removeIf(s -> !list.contains(s.endpoint()));
        }
        endpoints = list;
    }

    /** Whether any endpoint is usable: without one, connections are refused. */
    boolean isEmpty() {
        return endpoints.isEmpty();
    }

    /**
     * The endpoints to try for a new connection of {@code client}, the chosen one first, then the
     * others in round-robin order as fallbacks; empty when there is none.
     */
    List<InetSocketAddress> choose(InetAddress client) {
        List<InetSocketAddress> list = endpoints;
        if (list.isEmpty()) {
            return List.of();
        }
        int first = -1;
        long now = System.nanoTime();
        if (affinity == SessionAffinity.CLIENT_IP) {
            Sticky s = sticky.get(client);
            if (s != null && now - s.lastUsed() < stickyNanos) {
                first = list.indexOf(s.endpoint());
            }
        }
        if (first < 0) {
            first = Math.floorMod(next.getAndIncrement(), list.size());
        }
        if (affinity == SessionAffinity.CLIENT_IP) {
            sticky.put(client, new Sticky(list.get(first), now));
            if (sticky.size() > 4096) {
                sticky.values().removeIf(x -> now - x.lastUsed() >= stickyNanos);
            }
        }
        List<InetSocketAddress> order = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            order.add(list.get((first + i) % list.size()));
        }
        return order;
    }

    /** {@code endpoint} did not answer {@code client}: its next connection chooses afresh. */
    void failed(InetAddress client, InetSocketAddress endpoint) {
        sticky.computeIfPresent(client, (c, s) -> s.endpoint().equals(endpoint) ? null : s);
    }

    /** {@code client} now uses {@code endpoint} (after a fallback), under ClientIP affinity. */
    void chose(InetAddress client, InetSocketAddress endpoint) {
        if (affinity == SessionAffinity.CLIENT_IP) {
            sticky.put(client, new Sticky(endpoint, System.nanoTime()));
        }
    }
}
