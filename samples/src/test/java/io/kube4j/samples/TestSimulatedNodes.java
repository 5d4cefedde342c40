package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.NodeProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated-1000 profile cut down to 20 simulated nodes, with the real kubectl: the nodes are
 * Ready with the profile's capacity, a Deployment of 100 replicas goes Available, and a Job whose
 * pods are annotated {@code kube4j.io/simulate: complete} succeeds (one annotated {@code fail} fails).
 */
@Timeout(180)
class TestSimulatedNodes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 20;
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        Path file = Profiles.DIR.resolve("simulated-1000.yaml");
        ClusterProfile profile = ProfileLoader.load(file);
        assertThat(profile.nodes()).hasSize(1000);
        NodeProfile first = profile.nodes().getFirst();
        assertThat(first.name()).isEqualTo("sim-0");
        assertThat(profile.nodes().getLast().name()).isEqualTo("sim-999");
        ClusterProfile small = profile.withNodes(List.of(new NodeProfile("sim-{index}", first.runtime(), first.network(),
                        first.address(), first.kubeletPort(), first.labels(), null, NODES, null, null)))
                .withDataDir(Files.createTempDirectory("kube4j-simulated").toString()).withAddress("127.0.0.1:0");
        cluster = Cluster.start(small, file.toString(), Optional.empty());
        kubectl = new Kubectl(cluster.kubeconfig());
        kubectl.run("wait", "--for=condition=Ready", "nodes", "--all", "--timeout=55s").ok();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode get(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("-o", "json"));
        try {
            return JSON.readTree(kubectl.run(all.toArray(String[]::new)).ok().out());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nodesAreReadyWithTheProfilesCapacityAndKeepTheirLeases() {
        JsonNode nodes = get("nodes", "-l", "kube4j.io/simulated=true");
        assertThat(nodes.get("items")).hasSize(NODES);
        JsonNode node = get("node", "sim-7");
        assertThat(node.at("/status/capacity/cpu").asText()).isEqualTo("32");
        assertThat(node.at("/status/capacity/memory").asText()).isEqualTo("256Gi");
        assertThat(node.at("/status/allocatable/pods").asText()).isEqualTo("110");
        assertThat(node.at("/status/nodeInfo/containerRuntimeVersion").asText()).startsWith("kube4j-simulated://");
        assertThat(kubectl.run("get", "nodes").ok().out()).containsPattern("sim-19\\s+Ready");
        JsonNode leases = get("leases", "-n", "kube-node-lease");
        assertThat(leases.get("items").findValuesAsText("holderIdentity")).contains("sim-0", "sim-19");
    }

    @Test
    void deploymentOfAHundredReplicasGoesAvailable() {
        kubectl.run("create", "deployment", "web", "--image=nginx", "--replicas=100").ok();
        kubectl.run("wait", "--for=condition=Available", "deployment/web", "--timeout=55s").ok();
        JsonNode deployment = get("deployment", "web");
        assertThat(deployment.at("/status/readyReplicas").asInt()).isEqualTo(100);
        assertThat(deployment.at("/status/availableReplicas").asInt()).isEqualTo(100);
        JsonNode pods = get("pods", "-l", "app=web");
        assertThat(pods.get("items")).hasSize(100);
        Set<String> nodes = new HashSet<>();
        for (JsonNode pod : pods.get("items")) {
            assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
            assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean()).isTrue();
            nodes.add(pod.at("/spec/nodeName").asText());
        }
        assertThat(nodes).as("nodes the scheduler spread the replicas over").hasSizeGreaterThan(NODES / 2);
        assertThat(kubectl.run("logs", pods.get("items").get(0).at("/metadata/name").asText()).err())
                .contains("is simulated by node").contains("writes no logs");
        kubectl.run("scale", "deployment/web", "--replicas=10").ok();
        kubectl.run("wait", "--for=jsonpath={.status.replicas}=10", "deployment/web", "--timeout=55s").ok();
    }

    @Test
    void jobWhosePodsSimulateCompletionSucceedsAndOneThatSimulatesFailureFails() {
        kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: done}
                spec:
                  completions: 3
                  parallelism: 3
                  template:
                    metadata: {annotations: {kube4j.io/simulate: complete, kube4j.io/simulate-run-for: 2s}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: busybox}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: broken}
                spec:
                  backoffLimit: 0
                  template:
                    metadata: {annotations: {kube4j.io/simulate: fail, kube4j.io/simulate-exit-code: "7"}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: busybox}]
                """, "apply", "-f", "-").ok();
        kubectl.run("wait", "--for=condition=Complete", "job/done", "--timeout=55s").ok();
        assertThat(get("job", "done").at("/status/succeeded").asInt()).isEqualTo(3);
        JsonNode pods = get("pods", "-l", "job-name=done");
        for (JsonNode pod : pods.get("items")) {
            assertThat(pod.at("/status/phase").asText()).isEqualTo("Succeeded");
            assertThat(pod.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isZero();
            assertThat(pod.at("/status/containerStatuses/0/state/terminated/reason").asText()).isEqualTo("Completed");
        }
        kubectl.run("wait", "--for=condition=Failed", "job/broken", "--timeout=55s").ok();
        JsonNode failed = get("pods", "-l", "job-name=broken").get("items").get(0);
        assertThat(failed.at("/status/phase").asText()).isEqualTo("Failed");
        assertThat(failed.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isEqualTo(7);
    }
}
