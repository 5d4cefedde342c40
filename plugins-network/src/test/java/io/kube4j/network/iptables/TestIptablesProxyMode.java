package io.kube4j.network.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mode against the real kernel: a namespace {@code ns} with a node address, three HTTP
 * backends that answer their own name, and the rules the mode writes there.
 */
class TestIptablesProxyMode {
    static final String NODE_IP = "10.231.0.1";
    static final List<String> BACKENDS = List.of("10.231.1.1", "10.231.1.2", "10.231.1.3");
    static final int BACKEND_PORT = 8080;
    static final int UDP_PORT = 5353;
    static final String CLUSTER_IP = "10.96.77.10";
    static final int NODE_PORT = 30080;
    static final ServicePortName WEB = new ServicePortName("default", "web", "http", Protocol.TCP);
    static final String WEB_CHAIN = ChainNames.service(WEB);

    static Netns ns;

    @TempDir
    static Path www;

    IptablesProxyMode mode;

    @BeforeAll
    static void namespaceWithThreeBackends() throws IOException {
        assumeThat(Netns.available()).as("root, iproute2 and iptables").isTrue();
        ns = Netns.create();
        // A veth pair whose far end leads nowhere stands for the node's uplink (the kernel may lack the dummy driver).
        ns.sh("ip link add node0 type veth peer name uplink0 && ip link set uplink0 up && ip link set node0 up"
                + " && ip addr add " + NODE_IP + "/24 dev node0 && ip route add default dev node0").orThrow();
        for (int i = 0; i < BACKENDS.size(); i++) {
            String name = "b" + (i + 1);
            Path dir = Files.createDirectories(www.resolve(name));
            Files.writeString(dir.resolve("name"), name);
            ns.run("ip", "addr", "add", BACKENDS.get(i) + "/32", "dev", "node0").orThrow();
            ns.start("/usr/bin/python3", "-m", "http.server", String.valueOf(BACKEND_PORT), "--bind", BACKENDS.get(i),
                    "--directory", dir.toString());
            ns.start("/usr/bin/python3", "-c", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    + "s.bind(('" + BACKENDS.get(i) + "', " + UDP_PORT + "))\n"
                    + "while True:\n  data, peer = s.recvfrom(100)\n  s.sendto(b'" + name + "', peer)");
        }
        for (int i = 0; i < BACKENDS.size(); i++) {
            awaitAnswer("http://" + BACKENDS.get(i) + ":" + BACKEND_PORT + "/name", "b" + (i + 1));
        }
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void freshMode() {
        mode = new IptablesProxyMode(IptablesConfig.defaults().withNetns(ns.name), "node-1");
        mode.sync(ProxyState.EMPTY);
    }

    static EndpointInfo endpoint(String ip) {
        return new EndpointInfo(ip, BACKEND_PORT, true, true, false, Optional.of("node-1"), Optional.empty());
    }

    static ProxyState state(ServicePortInfo info, List<String> endpoints) {
        return new ProxyState(Map.of(WEB, info), Map.of(WEB, endpoints.stream().map(TestIptablesProxyMode::endpoint).toList()));
    }

    static ServicePortInfo web(int nodePort, SessionAffinity affinity) {
        return new ServicePortInfo(CLUSTER_IP, 80, Protocol.TCP, nodePort, affinity,
                affinity == SessionAffinity.CLIENT_IP ? Duration.ofMinutes(10) : Duration.ZERO, List.of(), List.of(),
                TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
    }

    /** The backends' names that {@code count} new connections to {@code url} reached, one per connection. */
    static List<String> fetch(Netns client, String url, int count) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "3", "-w", "\\n"));
        command.addAll(Collections.nCopies(count, url));
        return client.run(command.toArray(String[]::new)).orThrow().stdout().lines().toList();
    }

    /** How a TCP connect from {@code client} ends: curl says "couldn't connect" for a refusal and a timeout alike. */
    static String connect(Netns client, String host, int port) {
        String script = "import socket\ntry:\n  socket.create_connection(('" + host + "', " + port + "), timeout=5)\n"
                + "  print('connected')\nexcept Exception as e:\n  print(type(e).__name__)";
        return client.run("/usr/bin/python3", "-c", script).stdout();
    }

    static void awaitAnswer(String url, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Netns.Result result = ns.run("curl", "-s", "--max-time", "1", url);
            if (result.exit() == 0 && result.stdout().equals(expected)) {
                return;
            }
            assertThat(System.nanoTime()).as("%s answers %s: last %s", url, expected, result).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void clusterIpReachesEveryReadyEndpoint() {
        mode.sync(state(web(0, SessionAffinity.NONE), BACKENDS));

        List<String> reached = fetch(ns, "http://" + CLUSTER_IP + "/name", 30);

        assertThat(reached).hasSize(30).containsOnly("b1", "b2", "b3").contains("b1", "b2", "b3");
    }

    @Test
    void nodePortAnswersOnTheNodeIpAndOnLocalhost() {
        mode.sync(state(web(NODE_PORT, SessionAffinity.NONE), BACKENDS));

        assertThat(fetch(ns, "http://" + NODE_IP + ":" + NODE_PORT + "/name", 30)).hasSize(30).contains("b1", "b2", "b3");
        assertThat(fetch(ns, "http://127.0.0.1:" + NODE_PORT + "/name", 10)).hasSize(10).isSubsetOf("b1", "b2", "b3");
        assertThat(ns.run("sysctl", "-n", "net.ipv4.conf.all.route_localnet").stdout().strip()).isEqualTo("1");
    }

    @Test
    void withoutEndpointsConnectionsAreRefusedAtOnceAndComeBackWithThem() {
        ProxyState up = state(web(NODE_PORT, SessionAffinity.NONE), BACKENDS);
        ProxyState down = state(web(NODE_PORT, SessionAffinity.NONE), List.of());
        mode.sync(up);

        mode.syncChanged(down, Set.of(WEB));
        long start = System.nanoTime();
        Netns.Result refused = ns.run("curl", "-sS", "--max-time", "5", "http://" + CLUSTER_IP + "/name");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Netns.Result nodePortRefused = ns.run("curl", "-sS", "--max-time", "5", "http://" + NODE_IP + ":" + NODE_PORT + "/name");

        assertThat(refused.exit()).as("curl: %s", refused.stderr()).isEqualTo(7);
        assertThat(connect(ns, CLUSTER_IP, 80)).contains("ConnectionRefusedError");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(nodePortRefused.exit()).as("curl: %s", nodePortRefused.stderr()).isEqualTo(7);
        assertThat(ns.iptablesSave()).doesNotContain(WEB_CHAIN).contains("default/web:http has no endpoints");

        mode.syncChanged(up, Set.of(WEB));

        assertThat(fetch(ns, "http://" + CLUSTER_IP + "/name", 30)).hasSize(30).contains("b1", "b2", "b3");
        assertThat(ns.iptablesSave()).doesNotContain("has no endpoints");
    }

    @Test
    void anEndpointChangeRewritesOnlyThatPortAndDeletesTheGoneEndpointsChain() {
        ServicePortName other = new ServicePortName("default", "other", "", Protocol.TCP);
        ProxyState before = new ProxyState(
                Map.of(WEB, web(0, SessionAffinity.NONE), other, ServicePortInfo.clusterIp("10.96.77.11", 80, Protocol.TCP)),
                Map.of(WEB, BACKENDS.stream().map(TestIptablesProxyMode::endpoint).toList(),
                        other, List.of(endpoint(BACKENDS.get(0)))));
        ProxyState after = new ProxyState(before.services(),
                Map.of(WEB, List.of(endpoint(BACKENDS.get(1))), other, List.of(endpoint(BACKENDS.get(0)))));
        mode.sync(before);

        mode.syncChanged(after, Set.of(WEB));

        String saved = ns.iptablesSave();
        assertThat(saved).doesNotContain(ChainNames.endpoint(WEB, BACKENDS.get(0) + ":" + BACKEND_PORT))
                .doesNotContain(ChainNames.endpoint(WEB, BACKENDS.get(2) + ":" + BACKEND_PORT))
                .contains(":" + ChainNames.endpoint(WEB, BACKENDS.get(1) + ":" + BACKEND_PORT))
                .contains(":" + ChainNames.endpoint(other, BACKENDS.get(0) + ":" + BACKEND_PORT));
        assertThat(fetch(ns, "http://" + CLUSTER_IP + "/name", 10)).containsOnly("b2");
        assertThat(fetch(ns, "http://10.96.77.11/name", 3)).containsOnly("b1");
    }

    @Test
    void removingTheServiceRemovesItsChains() {
        mode.sync(state(web(NODE_PORT, SessionAffinity.NONE), BACKENDS));
        assertThat(ns.iptablesSave()).contains(":" + WEB_CHAIN, ":" + ChainNames.external(WEB), ":KUBE-SEP-");

        mode.syncChanged(ProxyState.EMPTY, Set.of(WEB));

        assertThat(ns.iptablesSave()).doesNotContain("KUBE-SVC-", "KUBE-SEP-", "KUBE-EXT-", "default/web")
                .contains(":KUBE-SERVICES", ":KUBE-NODEPORTS", ":KUBE-POSTROUTING");
    }

    @Test
    void aFullSyncDeletesChainsLeftByAnEarlierRun() {
        mode.sync(state(web(0, SessionAffinity.NONE), BACKENDS));
        IptablesProxyMode restarted = new IptablesProxyMode(IptablesConfig.defaults().withNetns(ns.name), "node-1");

        restarted.sync(ProxyState.EMPTY);

        assertThat(ns.iptablesSave()).doesNotContain("KUBE-SVC-", "KUBE-SEP-");
    }

    @Test
    void aSecondSyncOfTheSameStateChangesNothing() {
        ProxyState state = state(web(NODE_PORT, SessionAffinity.CLIENT_IP), BACKENDS);
        mode.sync(state);
        String first = ns.iptablesSave();

        mode.sync(state);
        mode.syncChanged(state, Set.of());

        assertThat(ns.iptablesSave()).isEqualTo(first);
        assertThat(first.lines().filter(line -> line.contains("-j KUBE-SERVICES"))).hasSize(4);
    }

    @Test
    void aFailedRestoreThrowsWithTheLineAndTheNextSyncRepairsFromIptablesSave() {
        ProxyState good = state(web(0, SessionAffinity.NONE), BACKENDS);
        mode.sync(good);
        ns.run("iptables", "-t", "nat", "-D", "OUTPUT", "-m", "comment", "--comment", "kubernetes service portals",
                "-j", "KUBE-SERVICES").orThrow();
        ServicePortInfo broken = new ServicePortInfo(CLUSTER_IP, 80, Protocol.TCP, 0, SessionAffinity.NONE, Duration.ZERO,
                List.of("not-an-address"), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);

        assertThatThrownBy(() -> mode.syncChanged(state(broken, BACKENDS), Set.of(WEB)))
                .hasMessageContaining("iptables-restore").hasMessageContaining("not-an-address");
        assertThat(connect(ns, CLUSTER_IP, 80)).doesNotContain("connected");
        mode.syncChanged(good, Set.of(WEB));

        assertThat(fetch(ns, "http://" + CLUSTER_IP + "/name", 3)).hasSize(3).isSubsetOf("b1", "b2", "b3");
        assertThat(ns.iptablesSave().lines().filter(line -> line.startsWith("-A OUTPUT") && line.endsWith("-j KUBE-SERVICES")))
                .hasSize(2);
    }

    @Test
    void aUdpClientThatKeepsItsPortFollowsTheEndpointsOnceTheGoneOnesFlowsAreDeleted() {
        ServicePortName dns = new ServicePortName("kube-system", "dns", "dns", Protocol.UDP);
        ServicePortInfo info = ServicePortInfo.clusterIp("10.96.77.53", 53, Protocol.UDP);
        Map<ServicePortName, ServicePortInfo> services = Map.of(dns, info);
        EndpointInfo b1 = new EndpointInfo(BACKENDS.get(0), UDP_PORT, true, true, false, Optional.empty(), Optional.empty());
        EndpointInfo b2 = new EndpointInfo(BACKENDS.get(1), UDP_PORT, true, true, false, Optional.empty(), Optional.empty());
        mode.sync(new ProxyState(services, Map.of(dns, List.of(b1))));
        assertThat(udpAsk("10.96.77.53", 53)).isEqualTo("b1");

        mode.syncChanged(new ProxyState(services, Map.of(dns, List.of(b2))), Set.of(dns));

        // Without deleting its conntrack entry, the same client port would still reach b1, which still answers.
        assertThat(udpAsk("10.96.77.53", 53)).isEqualTo("b2");
    }

    /** One datagram from the fixed client port 40000, as a resolver that keeps its socket sends them; the answer. */
    static String udpAsk(String host, int port) {
        String script = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('', 40000))\ns.settimeout(3)\n"
                + "s.sendto(b'q', ('" + host + "', " + port + "))\nprint(s.recvfrom(100)[0].decode())";
        return ns.run("/usr/bin/python3", "-c", script).orThrow().stdout().strip();
    }

    @Test
    void clientIpAffinityKeepsAClientOnOneEndpoint() {
        mode.sync(state(web(0, SessionAffinity.CLIENT_IP), BACKENDS));

        List<String> reached = fetch(ns, "http://" + CLUSTER_IP + "/name", 20);

        assertThat(reached).hasSize(20).containsOnly(reached.get(0));
    }

    @Test
    void closeLeavesTheRulesInTheKernel() {
        mode.sync(state(web(0, SessionAffinity.NONE), BACKENDS));

        mode.close();

        assertThat(fetch(ns, "http://" + CLUSTER_IP + "/name", 3)).hasSize(3).isSubsetOf("b1", "b2", "b3");
    }

    @Test
    void aClientInAnotherNamespaceReachesTheServiceThroughTheNode() {
        ns.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
        try (Netns client = Netns.create()) {
            ns.sh("ip link add vnode type veth peer name vclient netns " + client.name
                    + " && ip addr add 10.232.0.1/24 dev vnode && ip link set vnode up").orThrow();
            client.sh("ip addr add 10.232.0.2/24 dev vclient && ip link set vclient up"
                    + " && ip route add default via 10.232.0.1").orThrow();
            mode.sync(state(web(NODE_PORT, SessionAffinity.NONE), BACKENDS));

            assertThat(fetch(client, "http://" + CLUSTER_IP + "/name", 30)).hasSize(30).contains("b1", "b2", "b3");
            assertThat(fetch(client, "http://10.232.0.1:" + NODE_PORT + "/name", 10)).hasSize(10)
                    .isSubsetOf("b1", "b2", "b3");

            mode.syncChanged(state(web(NODE_PORT, SessionAffinity.NONE), List.of()), Set.of(WEB));

            Netns.Result refused = client.run("curl", "-sS", "--max-time", "5", "http://" + CLUSTER_IP + "/name");
            assertThat(refused.exit()).as("curl: %s", refused.stderr()).isEqualTo(7);
            Netns.Result nodePortRefused = client.run("curl", "-sS", "--max-time", "5", "http://10.232.0.1:" + NODE_PORT + "/name");
            assertThat(nodePortRefused.exit()).as("curl: %s", nodePortRefused.stderr()).isEqualTo(7);
            assertThat(connect(client, CLUSTER_IP, 80)).contains("ConnectionRefusedError");
        } finally {
            ns.run("ip", "link", "del", "vnode");
        }
    }
}
