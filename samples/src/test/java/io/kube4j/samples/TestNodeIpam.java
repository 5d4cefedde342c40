package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code nodeipam} controller of the default profile, seen with the real kubectl. */
class TestNodeIpam {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.startWithoutNodes("single-node.yaml", Files.createTempDirectory("kube4j-nodeipam"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void node(String name) {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Node
                metadata: {name: %s}
                """.formatted(name), "apply", "-f", "-").ok();
    }

    private static String podCidr(String name) throws Exception {
        Clients.await(name + " has a podCIDR", WAIT, () -> !kubectl.run("get", "node", name, "-o",
                "jsonpath={.spec.podCIDR}").ok().out().isBlank());
        String cidr = kubectl.run("get", "node", name, "-o", "jsonpath={.spec.podCIDR}").ok().out().strip();
        assertThat(kubectl.run("get", "node", name, "-o", "jsonpath={.spec.podCIDRs[0]}").ok().out().strip())
                .isEqualTo(cidr);
        return cidr;
    }

    @Test
    void everyNodeGetsItsOwnSubnetOfTheClusterCidrAndAFreedOneIsGivenAgain() throws Exception {
        List<String> names = List.of("ipam-a", "ipam-b", "ipam-c");
        names.forEach(TestNodeIpam::node);
        Set<String> cidrs = new HashSet<>();
        for (String name : names) {
            assertThat(podCidr(name)).matches("10\\.244\\.\\d+\\.0/24");
            cidrs.add(podCidr(name));
        }
        assertThat(cidrs).hasSize(3);
        // Events are written after the node, by the recorder's own thread.
        Clients.await("a CIDRAssigned event on ipam-a", WAIT, () -> kubectl.run("get", "events", "--field-selector",
                "involvedObject.name=ipam-a").ok().out().contains("CIDRAssigned"));

        String freed = podCidr("ipam-b");
        kubectl.run("delete", "node", "ipam-b").ok();
        node("ipam-d");
        // The lowest free subnet: the one ipam-b gave back (the others below it are taken).
        Set<String> taken = new HashSet<>(cidrs);
        taken.remove(freed);
        String given = podCidr("ipam-d");
        assertThat(taken).doesNotContain(given);
        assertThat(given).isEqualTo(lowestFree(taken));
    }

    private static String lowestFree(Set<String> taken) {
        for (int i = 0; i < 256; i++) {
            String cidr = "10.244." + i + ".0/24";
            if (!taken.contains(cidr)) {
                return cidr;
            }
        }
        throw new AssertionError("no free subnet below 10.244.255.0/24");
    }
}
