package io.kube4j.network.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The userspace mode on loopback: cluster IPs from 127.0.0.0/8 are local already, so the mode
 * manages no interface ({@code interface: ""}) and the test needs no privilege.
 */
class TestUserspaceProxy {
    private static final String CLUSTER_IP = "127.0.0.77";
    private static final ServicePortName WEB = new ServicePortName("default", "web", "", Protocol.TCP);

    private final List<AutoCloseable> backends = new ArrayList<>();
    private UserspaceProxy proxy;
    private int servicePort;

    @BeforeEach
    void start() throws IOException {
        proxy = new UserspaceProxy(new UserspaceProxyConfig("", "1s", "5s", null), "node-1", List.of("127.0.0.1"),
                LocalAddresses.NONE);
        servicePort = freePort();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        for (AutoCloseable b : backends) {
            b.close();
        }
    }

    @Test
    void spreadsConnectionsOverReadyEndpointsRoundRobin() throws Exception {
        List<EndpointInfo> endpoints = List.of(backend("a"), backend("b"), backend("c"),
                notReady(backend("not-ready")));
        proxy.sync(state(ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.TCP), endpoints));

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(ask(CLUSTER_IP, servicePort));
        }
        assertThat(answers).containsExactlyInAnyOrder("a", "b", "c", "a", "b", "c");
    }

    @Test
    void keepsAClientOnOneEndpointWithClientIpAffinity() throws Exception {
        ServicePortInfo sticky = new ServicePortInfo(CLUSTER_IP, servicePort, Protocol.TCP, 0, SessionAffinity.CLIENT_IP,
                Duration.ofMinutes(1), List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
        proxy.sync(state(sticky, List.of(backend("a"), backend("b"), backend("c"))));

        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            answers.add(ask(CLUSTER_IP, servicePort));
        }
        assertThat(answers).hasSize(1);
    }

    @Test
    void affinityEndsAfterItsTimeout() throws Exception {
        ServicePortInfo sticky = new ServicePortInfo(CLUSTER_IP, servicePort, Protocol.TCP, 0, SessionAffinity.CLIENT_IP,
                Duration.ofMillis(1), List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
        proxy.sync(state(sticky, List.of(backend("a"), backend("b"))));

        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 10 && answers.size() < 2; i++) {
            answers.add(ask(CLUSTER_IP, servicePort));
            Thread.sleep(5); // the 1 ms affinity must lapse between connections: time is what is tested
        }
        assertThat(answers).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void resetsConnectionsAtOnceWithoutUsableEndpointsAndServesOnceThereAreSome() throws Exception {
        ServicePortInfo info = ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.TCP);
        proxy.sync(state(info, List.of()));

        long began = System.nanoTime();
        assertThatThrownBy(() -> ask(CLUSTER_IP, servicePort)).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));

        EndpointInfo a = backend("a");
        ProxyState withEndpoint = state(info, List.of(a));
        proxy.syncChanged(withEndpoint, Set.of(WEB));
        assertThat(ask(CLUSTER_IP, servicePort)).isEqualTo("a");
    }

    @Test
    void fallsBackToAnotherEndpointWhenOneRefuses() throws Exception {
        EndpointInfo dead = new EndpointInfo("127.0.0.1", freePort(), true, true, false, Optional.empty(), Optional.empty());
        proxy.sync(state(ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.TCP), List.of(dead, backend("a"))));

        for (int i = 0; i < 4; i++) {
            assertThat(ask(CLUSTER_IP, servicePort)).isEqualTo("a");
        }
    }

    @Test
    void listensOnTheNodePortOfEveryNodeIp() throws Exception {
        int nodePort = freePort();
        ServicePortInfo info = new ServicePortInfo(CLUSTER_IP, servicePort, Protocol.TCP, nodePort, SessionAffinity.NONE,
                Duration.ZERO, List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
        proxy.sync(state(info, List.of(backend("a"))));

        assertThat(ask("127.0.0.1", nodePort)).isEqualTo("a");
    }

    @Test
    void withoutClusterIpsOnlyTheNodePortListens() throws Exception {
        proxy.close();
        proxy = new UserspaceProxy(new UserspaceProxyConfig("lo", "1s", "5s", true), "node-1", List.of("127.0.0.1"),
                LocalAddresses.UNAVAILABLE);
        int nodePort = freePort();
        ServicePortInfo info = new ServicePortInfo(CLUSTER_IP, servicePort, Protocol.TCP, nodePort, SessionAffinity.NONE,
                Duration.ZERO, List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
        proxy.sync(state(info, List.of(backend("a"))));

        assertThat(ask("127.0.0.1", nodePort)).isEqualTo("a");
        assertThatThrownBy(() -> ask(CLUSTER_IP, servicePort)).isInstanceOf(IOException.class);
    }

    @Test
    void aPortThatCannotOpenLeavesTheOthersOpenAndFailsTheSync() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(CLUSTER_IP))) {
            ServicePortName other = new ServicePortName("default", "other", "", Protocol.TCP);
            int otherPort = freePort();
            EndpointInfo a = backend("a");
            ProxyState both = new ProxyState(Map.of(WEB, ServicePortInfo.clusterIp(CLUSTER_IP, taken.getLocalPort(), Protocol.TCP),
                    other, ServicePortInfo.clusterIp(CLUSTER_IP, otherPort, Protocol.TCP)), Map.of(WEB, List.of(a), other, List.of(a)));
            assertThatThrownBy(() -> proxy.sync(both)).hasMessageContaining("1 service ports could not be opened");
            assertThat(ask(CLUSTER_IP, otherPort)).isEqualTo("a");
        }
    }

    @Test
    void localTrafficPolicyUsesThisNodesEndpointsOnly() throws Exception {
        ServicePortInfo info = new ServicePortInfo(CLUSTER_IP, servicePort, Protocol.TCP, 0, SessionAffinity.NONE,
                Duration.ZERO, List.of(), List.of(), TrafficPolicy.LOCAL, TrafficPolicy.CLUSTER);
        EndpointInfo here = onNode(backend("here"), "node-1");
        EndpointInfo there = onNode(backend("there"), "node-2");
        proxy.sync(state(info, List.of(here, there)));

        for (int i = 0; i < 4; i++) {
            assertThat(ask(CLUSTER_IP, servicePort)).isEqualTo("here");
        }
    }

    @Test
    void aRemovedServiceStopsListening() throws Exception {
        proxy.sync(state(ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.TCP), List.of(backend("a"))));
        assertThat(ask(CLUSTER_IP, servicePort)).isEqualTo("a");

        proxy.syncChanged(ProxyState.EMPTY, Set.of(WEB));

        assertThatThrownBy(() -> ask(CLUSTER_IP, servicePort)).isInstanceOf(java.net.SocketException.class);
    }

    @Test
    void aChangedPortIsReopened() throws Exception {
        proxy.sync(state(ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.TCP), List.of(backend("a"))));
        int other = freePort();

        proxy.sync(state(ServicePortInfo.clusterIp(CLUSTER_IP, other, Protocol.TCP), List.of(backend("b"))));

        assertThat(ask(CLUSTER_IP, other)).isEqualTo("b");
        assertThatThrownBy(() -> ask(CLUSTER_IP, servicePort)).isInstanceOf(java.net.SocketException.class);
    }

    @Test
    void forwardsUdpDatagramsAndTheirReplies() throws Exception {
        DatagramSocket echo = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        backends.add(echo);
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[1500];
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                while (true) {
                    p.setLength(buffer.length);
                    echo.receive(p);
                    byte[] reply = ("echo " + new String(buffer, 0, p.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    echo.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        ServicePortName dns = new ServicePortName("default", "web", "", Protocol.UDP);
        proxy.sync(new ProxyState(Map.of(dns, ServicePortInfo.clusterIp(CLUSTER_IP, servicePort, Protocol.UDP)),
                Map.of(dns, List.of(new EndpointInfo("127.0.0.1", echo.getLocalPort(), true, true, false,
                        Optional.empty(), Optional.empty())))));

        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(5_000);
            for (String question : List.of("one", "two")) {
                byte[] q = question.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(q, q.length, InetAddress.getByName(CLUSTER_IP), servicePort));
                DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("echo " + question);
                assertThat(reply.getSocketAddress()).isEqualTo(new InetSocketAddress(CLUSTER_IP, servicePort));
            }
        }
    }

    private static ProxyState state(ServicePortInfo info, List<EndpointInfo> endpoints) {
        return new ProxyState(Map.of(WEB, info), Map.of(WEB, endpoints));
    }

    /** A TCP server on loopback that writes its name to each connection and closes it. */
    private EndpointInfo backend(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        backends.add(server);
        Thread.ofVirtual().start(() -> {
            while (true) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new EndpointInfo("127.0.0.1", server.getLocalPort(), true, true, false, Optional.empty(), Optional.empty());
    }

    private static EndpointInfo notReady(EndpointInfo e) {
        return new EndpointInfo(e.ip(), e.port(), false, false, false, e.nodeName(), e.zone());
    }

    private static EndpointInfo onNode(EndpointInfo e, String node) {
        return new EndpointInfo(e.ip(), e.port(), e.ready(), e.serving(), e.terminating(), Optional.of(node), e.zone());
    }

    /** What the service answers on a new connection; an IOException if the connection fails or is reset. */
    private static String ask(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            if (all.length == 0) {
                throw new IOException("closed without an answer");
            }
            return new String(all, StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
