package io.kube4j.network.bridge;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetworkRequest;
import io.kube4j.api.node.PodNetworkStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real CNI plugins wire real namespaces: a "node" namespace holds the bridges, as a kubelet's
 * own namespace would, and each pod has a namespace of its own.
 */
class TestBridgePodNetwork {
    private static final String SERVE_PEER = "import socket\n"
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind(('0.0.0.0', 8080)); s.listen(8)\n"
            + "while True:\n"
            + "    c, a = s.accept(); c.sendall((socket.gethostname() + ' ' + a[0] + '\\n').encode()); c.close()\n";

    @TempDir
    Path dataDir;

    private Netns netns;
    private String node;

    @BeforeEach
    void nodeNamespace() {
        netns = new Netns();
        node = netns.add("node");
    }

    @AfterEach
    void cleanUp() {
        netns.close();
    }

    @Test
    void podsGetTheirOwnAddressesFromThePodCidrAndReachEachOtherOnTheSamePort() {
        BridgePodNetwork network = network("node-a", "10.244.7.0/24");
        String a = netns.add("a");
        String b = netns.add("b");

        PodNetworkStatus first = network.setUpPod(request("a", a));
        PodNetworkStatus second = network.setUpPod(request("b", b));

        assertThat(first.ip()).startsWith("10.244.7.").isNotEqualTo(second.ip());
        assertThat(second.ip()).startsWith("10.244.7.");
        assertThat(Netns.run("ip", "-n", a, "-4", "-o", "addr", "show", "eth0")).contains(first.ip() + "/24");
        assertThat(Netns.run("ip", "-n", a, "route")).contains("default via 10.244.7.1");
        assertThat(Netns.run("ip", "-n", a, "-o", "addr", "show", "lo")).contains("127.0.0.1/8");
        // Both pods listen on 8080: each has its own namespace, so nothing conflicts.
        serve(a);
        serve(b);
        assertThat(ask(a, second.ip())).isEqualTo(first.ip());
        assertThat(ask(b, first.ip())).isEqualTo(second.ip());
        assertThat(ask(node, first.ip())).isEqualTo("10.244.7.1");
    }

    @Test
    void wiringTwiceGivesTheSameAddressAndTearingDownFreesIt() {
        BridgePodNetwork network = network("node-a", "10.244.8.0/24");
        String a = netns.add("a");
        PodNetworkRequest request = request("a", a);

        PodNetworkStatus wired = network.setUpPod(request);
        assertThat(network.setUpPod(request)).isEqualTo(wired);
        assertThat(network.status(request)).contains(wired);
        Path reservation = dataDir.resolve("nodes/node-a/cni/ipam/kube4j").resolve(wired.ip());
        assertThat(reservation).exists();
        assertThat(bridgePorts(network)).hasSize(1);

        network.tearDownPod(request);

        assertThat(reservation).doesNotExist();
        assertThat(bridgePorts(network)).isEmpty();
        assertThat(Netns.run("ip", "-n", a, "-o", "link")).doesNotContain("eth0");
        assertThat(network.status(request)).isEmpty();
        network.tearDownPod(request);
    }

    @Test
    void tearingDownAfterTheNamespaceIsGoneStillFreesTheAddress() {
        BridgePodNetwork network = network("node-a", "10.244.9.0/24");
        String a = netns.add("a");
        PodNetworkRequest request = request("a", a);
        PodNetworkStatus wired = network.setUpPod(request);
        Netns.run("ip", "netns", "del", a);

        assertThatThrownBy(() -> network.status(request)).isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("is gone");
        network.tearDownPod(request);

        assertThat(dataDir.resolve("nodes/node-a/cni/ipam/kube4j").resolve(wired.ip())).doesNotExist();
        // The kernel destroys a deleted namespace, and the veth end on the bridge with it, a moment later.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!bridgePorts(network).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(bridgePorts(network)).isEmpty();
    }

    @Test
    void podsOfTwoNodesOnOneMachineReachEachOtherWithoutNat() {
        BridgePodNetwork one = network("node-a", "10.244.10.0/24");
        BridgePodNetwork two = network("node-b", "10.244.11.0/24");
        assertThat(one.bridge()).isNotEqualTo(two.bridge());
        String a = netns.add("a");
        String b = netns.add("b");
        PodNetworkStatus onOne = one.setUpPod(request("a", a));
        PodNetworkStatus onTwo = two.setUpPod(request("b", b));
        serve(b);

        // The backend sees the client's own pod IP: nothing on the way rewrote it.
        assertThat(ask(a, onTwo.ip())).isEqualTo(onOne.ip());
    }

    @Test
    void aPodWithoutANamespaceOrAFailingPluginIsAClearError() {
        BridgePodNetwork network = network("node-a", "10.244.12.0/24");
        PodNetworkRequest hostless = new PodNetworkRequest("default", "web", "uid-1", "sandbox-1", Optional.empty(),
                PodNetworkRequest.DEFAULT_INTERFACE, List.of());
        assertThatThrownBy(() -> network.setUpPod(hostless)).isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("needs a network namespace per pod").hasMessageContaining("default/web");

        PodNetworkRequest missing = new PodNetworkRequest("default", "web", "uid-1", "sandbox-2",
                Optional.of("/var/run/netns/no-such-namespace"), PodNetworkRequest.DEFAULT_INTERFACE, List.of());
        assertThatThrownBy(() -> network.setUpPod(missing)).isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("CNI plugin loopback ADD failed").hasMessageContaining("no-such-namespace");

        BridgePodNetwork nowhere = new BridgePodNetwork(new BridgeNetworkConfig("/nonexistent/cni", null,
                "10.244.13.0/24", node, null, null), context("node-a"), new CniExecutor("/nonexistent/cni", node));
        String a = netns.add("a");
        assertThatThrownBy(() -> nowhere.setUpPod(request("a", a))).isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("apt-get install containernetworking-plugins");
    }

    @Test
    void configChecksNameTheKey() {
        assertThatThrownBy(() -> new BridgeNetworkConfig(null, "a-very-long-bridge-name", null, null, null, null))
                .hasMessageContaining("bridge must be at most 15 characters");
        assertThatThrownBy(() -> new BridgeNetworkConfig(null, null, "10.244.0.0", null, null, null))
                .hasMessageContaining("podCidr must be an IPv4 CIDR");
        assertThatThrownBy(() -> new BridgeNetworkConfig(null, null, null, null, null, 100))
                .hasMessageContaining("mtu must be");
        BridgeNetworkConfig defaults = BridgeNetworkConfig.defaults();
        assertThat(defaults.cniBinDir()).isEqualTo("/usr/lib/cni");
        assertThat(defaults.ipMasq()).isFalse();
        assertThat(BridgePodNetwork.defaultBridge("node-1")).hasSize(15).startsWith("k4j")
                .isNotEqualTo(BridgePodNetwork.defaultBridge("node-2"));
    }

    private BridgePodNetwork network(String nodeName, String podCidr) {
        BridgeNetworkConfig config = new BridgeNetworkConfig(null, null, podCidr, node, null, null);
        return new BridgePodNetwork(config, context(nodeName), new CniExecutor(config.cniBinDir(), config.netns()));
    }

    private PodNetworkRequest request(String pod, String namespaceName) {
        return new PodNetworkRequest("default", pod, "uid-" + pod, "sandbox-" + pod, Optional.of(Netns.path(namespaceName)),
                PodNetworkRequest.DEFAULT_INTERFACE, List.of());
    }

    private List<String> bridgePorts(BridgePodNetwork network) {
        return Netns.run("ip", "-n", node, "-o", "link", "show", "master", network.bridge()).lines().toList();
    }

    private void serve(String namespaceName) {
        netns.start(namespaceName, "python3", "-c", SERVE_PEER);
    }

    /** Connects from {@code from} to {@code ip}:8080 until the server answers, and returns the address it saw us come from. */
    private static String ask(String from, String ip) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        Netns.Result last;
        do {
            last = Netns.tryRun("ip", "netns", "exec", from, "bash", "-c",
                    "exec 3<>/dev/tcp/" + ip + "/8080 && cat <&3");
            if (last.exit() == 0 && !last.output().isBlank()) {
                return last.output().strip().split(" ")[1];
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no answer from " + ip + ":8080 in namespace " + from + ": " + last.output());
    }

    private NodeContext context(String nodeName) {
        Path nodeDir = dataDir.resolve("nodes").resolve(nodeName);
        return new NodeContext() {
            @Override
            public String nodeName() {
                return nodeName;
            }

            @Override
            public Path nodeDataDir() {
                return nodeDir;
            }

            @Override
            public ApiClient client() {
                throw new UnsupportedOperationException("these tests give the pod CIDR in the config");
            }

            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }
}
