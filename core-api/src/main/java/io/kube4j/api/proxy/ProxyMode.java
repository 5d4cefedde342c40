package io.kube4j.api.proxy;

import java.util.Set;

/**
 * Makes one node route service traffic: connections to a service port's cluster IP (and node
 * port, external IPs) reach one of its usable endpoints. Implementations: {@code userspace}
 * (a Java listener per service port that forwards bytes), {@code iptables} (DNAT rules in the
 * kernel). Made by a {@link ProxyModeFactory}; owned and closed by the proxy host.
 *
 * <p>Called from one thread (the host's sync loop), never concurrently; calls may block
 * (rewriting kernel rules). A service port with no usable endpoint must reject connections
 * (REJECT, or close at once), not let them hang.
 */
public interface ProxyMode extends AutoCloseable {

    /**
     * Makes the data plane match {@code state} exactly: routes for ports in it, none for ports
     * no longer in it. Idempotent: syncing the same state twice changes nothing the second time.
     * Called at start, after the informers synced, and whenever something changed (coalesced,
     * at most every {@code minSyncPeriod}). An exception makes the host retry with back-off and
     * the latest state.
     */
    void sync(ProxyState state);

    /**
     * An incremental sync: {@code state} is still the full state, and {@code changed} names the
     * service ports whose service or endpoints changed since the previous successful call. A mode
     * that can update only those (the userspace proxy rebalances one listener) overrides this; by
     * default it does a full {@link #sync}. Same threading and idempotence as {@code sync}.
     */
    default void syncChanged(ProxyState state, Set<ServicePortName> changed) {
        sync(state);
    }

    /**
     * Stops proxying: releases listeners and threads. Rules left in the kernel may stay for the
     * next start to take over, as kube-proxy's survive its restarts. Idempotent.
     */
    @Override
    default void close() {
    }
}
