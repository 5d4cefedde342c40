package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every profile in samples/profiles starts, and kubectl reaches its API server. */
class TestSampleProfiles {

    static Stream<String> profiles() throws IOException {
        try (Stream<Path> files = Files.list(Profiles.DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /**
     * The profiles this process may start, without their kube-proxy ({@link Profiles#onFreePorts}): those
     * whose nodes are on the host network (bridge-network.yaml wires namespaces and listens on its node's
     * own address; TestBridgeNetworkSample starts it in a network namespace).
     */
    static Stream<String> startableProfiles() throws IOException {
        return profiles().filter(n -> io.kube4j.runtime.profile.ProfileLoader.load(Profiles.DIR.resolve(n)).nodes().stream()
                .allMatch(node -> node.network().plugin().equals("host")));
    }

    @ParameterizedTest
    @MethodSource("startableProfiles")
    void profileStartsAndServesKubectl(String profile, @TempDir Path dataDir) {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        try (Cluster cluster = Profiles.start(profile, dataDir)) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            String namespaces = kubectl.run("get", "namespaces", "-o", "name").ok().out();
            assertThat(namespaces.lines().toList()).contains("namespace/default", "namespace/kube-system",
                    "namespace/kube-public", "namespace/kube-node-lease");
            // One list of every node's Ready status, polled: kubectl wait takes a watch per node, too slow for 1,000.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> ready;
            do {
                ready = kubectl.run("get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}")
                        .ok().out().lines().filter("True"::equals).toList();
            } while (ready.size() < cluster.kubelets().size() && System.nanoTime() < deadline && pause());
            assertThat(ready).as("Ready nodes of " + profile).hasSize(cluster.kubelets().size());
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theDefaultProfileAnswersHealthChecksWithoutAToken(@TempDir Path dataDir) throws Exception {
        try (Cluster cluster = Profiles.start("single-node.yaml", dataDir)) {
            HttpClient http = HttpClient.newBuilder().sslContext(Api.trusting(cluster.caCertificatePem().orElseThrow())).build();
            for (String path : List.of("/healthz", "/livez", "/readyz", "/version")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.url().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("anonymous GET %s", path).isEqualTo(200);
            }
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(cluster.url().resolve("/api/v1/namespaces")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as("anonymous GET of the API").isEqualTo(401);
        }
    }

    @Test
    void defaultProfileOfUpIsTheSingleNodeSample() throws IOException {
        String embedded;
        try (var in = Cluster.class.getResourceAsStream("/io/kube4j/runtime/profile/single-node.yaml")) {
            embedded = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(embedded).isEqualTo(Files.readString(Profiles.DIR.resolve("single-node.yaml")));
    }

    @Test
    void defaultProfileRunsOneProcessNode() {
        var nodes = io.kube4j.runtime.profile.ProfileLoader.load(Profiles.DIR.resolve("single-node.yaml")).nodes();
        assertThat(nodes).singleElement().satisfies(n -> assertThat(n.runtime().plugin()).isEqualTo("process"));
    }

    @Test
    void sampleProfilesListed() throws IOException {
        assertThat(profiles().toList()).containsAll(List.of("memory.yaml", "single-node.yaml", "process-node.yaml"));
    }
}
