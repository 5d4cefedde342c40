package io.kube4j.runtime.profile;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.kube4j.api.plugin.Durations;
import java.time.Duration;

/**
 * The {@code proxy:} section of a profile: a kube-proxy for each node of the profile's {@code nodes:}.
 * Absent: no proxy runs in the process. The section is the mode's slot
 * ({@code proxy: {plugin: userspace, config: {...}, minSyncPeriod: 1s}}); {@code mode:} is the same
 * slot as its own key ({@code proxy: {mode: userspace}}).
 *
 * @param mode          the proxy mode slot
 * @param minSyncPeriod the least time between two syncs of the mode: changes within it are coalesced
 *                      (kube-proxy's {@code --iptables-min-sync-period}, Go duration, default 1s)
 * @param syncPeriod    how often the mode is synced in full even if nothing changed (default 30s)
 * @param address       host:port of each proxy's {@code /healthz} and {@code /metrics} (as kube-proxy's 10256
 *                      and 10249 together; default {@code 127.0.0.1:0}, a free port)
 */
@JsonDeserialize(using = ProxyProfileDeserializer.class)
public record ProxyProfile(PluginSlot mode, String minSyncPeriod, String syncPeriod, String address) {

    public ProxyProfile {
        if (mode == null) {
            throw new IllegalArgumentException("proxy: the mode is required, e.g. proxy: {plugin: userspace}");
        }
        minSyncPeriod = minSyncPeriod == null ? "1s" : minSyncPeriod;
        syncPeriod = syncPeriod == null ? "30s" : syncPeriod;
        address = address == null ? "127.0.0.1:0" : address.strip();
        if (Durations.parse("proxy.minSyncPeriod", minSyncPeriod).isNegative()) {
            throw new IllegalArgumentException("proxy.minSyncPeriod must not be negative: " + minSyncPeriod);
        }
        if (Durations.parse("proxy.syncPeriod", syncPeriod).isZero()) {
            throw new IllegalArgumentException("proxy.syncPeriod must be more than 0: " + syncPeriod);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 1 || !address.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(address.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("proxy.address must be host:port: " + address);
        }
    }

    /** A proxy in {@code mode} with the default periods (tests, embedding). */
    public static ProxyProfile of(PluginSlot mode) {
        return new ProxyProfile(mode, null, null, null);
    }

    public Duration minSync() {
        return Durations.parse("proxy.minSyncPeriod", minSyncPeriod);
    }

    public Duration sync() {
        return Durations.parse("proxy.syncPeriod", syncPeriod);
    }

    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
