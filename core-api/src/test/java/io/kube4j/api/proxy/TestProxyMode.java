package io.kube4j.api.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TestProxyMode {

    /** Keeps a routing table, the way a mode would keep listeners or rules. */
    static final class ToyMode implements ProxyMode {
        final Map<String, List<String>> routes = new TreeMap<>();
        int fullSyncs;
        int writes;

        @Override
        public void sync(ProxyState state) {
            fullSyncs++;
            Map<String, List<String>> wanted = new TreeMap<>();
            state.services().forEach((name, info) -> wanted.put(info.clusterIP() + ":" + info.port(),
                    state.usableEndpoints(name).stream().map(EndpointInfo::address).toList()));
            if (!wanted.equals(routes)) {
                writes++;
                routes.clear();
                routes.putAll(wanted);
            }
        }
    }

    private static final ServicePortName WEB = new ServicePortName("default", "web", "http", Protocol.TCP);
    private static final ServicePortName DNS = new ServicePortName("kube-system", "kube-dns", "dns", Protocol.UDP);

    private static EndpointInfo endpoint(String ip, boolean ready, boolean serving, boolean terminating, String node) {
        return new EndpointInfo(ip, 8080, ready, serving, terminating, Optional.of(node), Optional.empty());
    }

    private static ProxyState state(List<EndpointInfo> webEndpoints) {
        return new ProxyState(
                Map.of(WEB, ServicePortInfo.clusterIp("10.96.0.20", 80, Protocol.TCP),
                        DNS, ServicePortInfo.clusterIp("10.96.0.10", 53, Protocol.UDP)),
                Map.of(WEB, webEndpoints));
    }

    @Test
    void syncRoutesUsableEndpointsAndIsIdempotent() {
        ToyMode mode = new ToyMode();
        ProxyState state = state(List.of(endpoint("10.244.0.2", true, true, false, "node-1"),
                endpoint("10.244.1.2", false, false, false, "node-2")));

        mode.sync(state);
        mode.sync(state);

        assertThat(mode.routes).containsExactly(Map.entry("10.96.0.10:53", List.of()),
                Map.entry("10.96.0.20:80", List.of("10.244.0.2:8080")));
        assertThat(mode.writes).isEqualTo(1);

        mode.sync(ProxyState.EMPTY);
        assertThat(mode.routes).isEmpty();
    }

    @Test
    void incrementalHookFallsBackToAFullSync() {
        ToyMode mode = new ToyMode();
        mode.syncChanged(state(List.of()), Set.of(WEB));
        assertThat(mode.fullSyncs).isEqualTo(1);
        assertThat(mode.routes).containsKey("10.96.0.20:80");
        mode.close();
    }

    @Test
    void terminatingButServingEndpointsAreUsedOnlyWhenNoneIsReady() {
        EndpointInfo ready = endpoint("10.244.0.2", true, true, false, "node-1");
        EndpointInfo draining = endpoint("10.244.0.3", false, true, true, "node-1");
        EndpointInfo dead = endpoint("10.244.0.4", false, false, true, "node-2");

        assertThat(state(List.of(ready, draining, dead)).usableEndpoints(WEB)).containsExactly(ready);
        assertThat(state(List.of(draining, dead)).usableEndpoints(WEB)).containsExactly(draining);
        assertThat(state(List.of(dead)).usableEndpoints(WEB)).isEmpty();
        assertThat(state(List.of()).usableEndpoints(DNS)).isEmpty();
    }

    @Test
    void localEndpointsFallBackPerNode() {
        EndpointInfo remoteReady = endpoint("10.244.1.2", true, true, false, "node-2");
        EndpointInfo localDraining = endpoint("10.244.0.3", false, true, true, "node-1");
        ProxyState state = state(List.of(remoteReady, localDraining));

        assertThat(state.usableLocalEndpoints(WEB, "node-1")).containsExactly(localDraining);
        assertThat(state.usableLocalEndpoints(WEB, "node-2")).containsExactly(remoteReady);
        assertThat(state.usableLocalEndpoints(WEB, "node-3")).isEmpty();
        assertThat(state.usableEndpoints(WEB)).containsExactly(remoteReady);
    }

    @Test
    void valuesAreChecked() {
        assertThat(WEB).hasToString("default/web:http");
        assertThat(new ServicePortName("default", "web", "", Protocol.TCP)).hasToString("default/web");
        assertThat(new EndpointInfo("fd00::2", 80, true, true, false, Optional.empty(), Optional.empty()).address())
                .isEqualTo("[fd00::2]:80");
        assertThatThrownBy(() -> endpoint("10.0.0.1", true, true, true, "n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServicePortInfo.clusterIp("None", 80, Protocol.TCP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServicePortInfo.clusterIp("10.96.0.1", 0, Protocol.TCP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServicePortInfo("10.96.0.1", 80, Protocol.TCP, 0, SessionAffinity.CLIENT_IP,
                Duration.ZERO, List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ServicePortInfo("10.96.0.1", 80, Protocol.TCP, 30080, SessionAffinity.CLIENT_IP,
                ServicePortInfo.DEFAULT_STICKY_MAX_AGE, List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.LOCAL)
                .nodePort()).isEqualTo(30080);
    }
}
