package io.kube4j.runtime.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestProxyStates {
    private static final ServicePortName HTTP = new ServicePortName("ns", "web", "http", Protocol.TCP);
    private static final ServicePortName DNS = new ServicePortName("ns", "web", "dns", Protocol.UDP);

    @Test
    void eachPortOfAServiceWithAClusterIp() {
        Service web = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                .withNewSpec().withType("NodePort").withClusterIP("10.96.0.10").withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig()
                .withExternalIPs("192.0.2.1").withInternalTrafficPolicy("Local").withExternalTrafficPolicy("Cluster")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").withNodePort(30080).endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").withNodePort(30053).endPort()
                .endSpec().build();

        ProxyState state = ProxyStates.of(List.of(web), List.of());

        assertThat(state.services()).containsOnlyKeys(HTTP, DNS);
        assertThat(state.services().get(HTTP)).isEqualTo(new ServicePortInfo("10.96.0.10", 80, Protocol.TCP, 30080,
                SessionAffinity.CLIENT_IP, Duration.ofSeconds(60), List.of("192.0.2.1"), List.of(), TrafficPolicy.LOCAL,
                TrafficPolicy.CLUSTER));
        assertThat(state.services().get(DNS).nodePort()).isEqualTo(30053);
    }

    @Test
    void clientIpAffinityLastsThreeHoursByDefaultAndNodePortsOnlyForNodePortTypes() {
        Service web = service("web", "10.96.0.10").editSpec().withSessionAffinity("ClientIP").withType("ClusterIP")
                .editFirstPort().withNodePort(30080).endPort().endSpec().build();

        ServicePortInfo info = ProxyStates.of(List.of(web), List.of()).services().get(HTTP);

        assertThat(info.stickyMaxAge()).isEqualTo(Duration.ofHours(3));
        assertThat(info.nodePort()).isZero();
    }

    @Test
    void headlessAndExternalNameServicesAreNotProxied() {
        Service headless = service("headless", "None").build();
        Service external = service("external", "").editSpec().withType("ExternalName").withExternalName("example.com")
                .endSpec().build();

        assertThat(ProxyStates.of(List.of(headless, external), List.of()).services()).isEmpty();
    }

    @Test
    void endpointsOfEverySliceOfTheServiceWithTheirConditions() {
        Service web = service("web", "10.96.0.10").build();
        EndpointSlice one = slice("web-1", "web", 8080)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.2").withNodeName("node-1").withZone("z1")
                        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.1").withNewConditions().withReady(false)
                        .withServing(true).withTerminating(true).endConditions().build())
                .build();
        EndpointSlice two = slice("web-2", "web", 8080)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.3").build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.2").withNodeName("node-1").withZone("z1")
                        .withNewConditions().withReady(false).endConditions().build())
                .build();
        EndpointSlice otherService = slice("db-1", "db", 5432)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.9").build()).build();

        ProxyState state = ProxyStates.of(List.of(web), List.of(one, two, otherService));

        assertThat(state.endpoints(HTTP)).containsExactly(
                new EndpointInfo("10.0.0.1", 8080, false, true, true, Optional.empty(), Optional.empty()),
                new EndpointInfo("10.0.0.2", 8080, true, true, false, Optional.of("node-1"), Optional.of("z1")),
                new EndpointInfo("10.0.0.3", 8080, true, true, false, Optional.empty(), Optional.empty()));
        assertThat(state.endpoints()).containsOnlyKeys(HTTP);
    }

    @Test
    void changedNamesThePortsWhoseServiceOrEndpointsDiffer() {
        Service web = service("web", "10.96.0.10").build();
        Service moved = service("web", "10.96.0.11").build();
        EndpointSlice slice = slice("web-1", "web", 8080)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.2").build()).build();

        ProxyState empty = ProxyStates.of(List.of(web), List.of());
        ProxyState withEndpoint = ProxyStates.of(List.of(web), List.of(slice));

        assertThat(ProxyStates.changed(empty, empty)).isEmpty();
        assertThat(ProxyStates.changed(empty, withEndpoint)).containsExactly(HTTP);
        assertThat(ProxyStates.changed(withEndpoint, ProxyStates.of(List.of(moved), List.of(slice)))).containsExactly(HTTP);
        assertThat(ProxyStates.changed(withEndpoint, ProxyState.EMPTY)).containsExactly(HTTP);
    }

    private static ServiceBuilder service(String name, String clusterIP) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIP).addNewPort().withName("http").withPort(80).withProtocol("TCP")
                .endPort().endSpec();
    }

    private static EndpointSliceBuilder slice(String name, String service, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .addToLabels(ProxyStates.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort();
    }
}
