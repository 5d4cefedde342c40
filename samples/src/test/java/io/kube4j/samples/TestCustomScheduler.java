package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.client.ApiClient;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.samples.scheduling.PreferLabeledNodesFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/profiles/custom-scheduler.yaml} started with a plugins directory holding a jar of
 * the example Score plugin {@code PreferLabeledNodes} (built here from the compiled classes, as
 * {@code mvn package} builds the samples jar): pods land on the node labelled {@code disktype=ssd},
 * and the scheduler's explanation shows the plugin's score and weight.
 */
class TestCustomScheduler {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void podsLandOnTheLabelledNode(@TempDir Path dataDir, @TempDir Path pluginsDir) throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        pluginJar(pluginsDir.resolve("kube4j-sample-scheduling.jar"));
        Path file = Profiles.DIR.resolve("custom-scheduler.yaml");
        ClusterProfile profile = ProfileLoader.load(file).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0");
        try (Cluster cluster = Cluster.start(profile, file.toString(), Optional.of(pluginsDir));
             ApiClient client = Clients.admin(cluster)) {
            createNode(client, "plain-1", Map.of());
            createNode(client, "ssd-1", Map.of("disktype", "ssd"));
            createNode(client, "plain-2", Map.of("disktype", "hdd"));
            client.create(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build());
            for (int i = 0; i < 3; i++) {
                client.create(new PodBuilder().withNewMetadata().withNamespace("apps").withName("app-" + i).endMetadata()
                        .withNewSpec().addNewContainer().withName("c").withImage("busybox").withNewResources()
                        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")))
                        .endResources().endContainer().endSpec().build());
            }
            for (int i = 0; i < 3; i++) {
                String name = "app-" + i;
                Clients.await(name + " bound", WAIT, () -> nodeOf(client, name).isPresent());
                assertThat(nodeOf(client, name)).as("%s is on the ssd node", name).hasValue("ssd-1");
            }

            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            JsonNode explained = new ObjectMapper().readTree(kubectl.run("get", "--raw",
                    "/api/v1/namespaces/kube-system/services/kube-scheduler:http/proxy/debug/pods/apps/app-2").ok().out());
            Map<String, JsonNode> prefer = new HashMap<>();
            for (JsonNode node : explained.path("scores")) {
                for (JsonNode p : node.path("plugins")) {
                    if (p.path("plugin").asText().equals(PreferLabeledNodesFactory.NAME)) {
                        prefer.put(node.path("node").asText(), p);
                    }
                }
            }
            assertThat(prefer).containsOnlyKeys("plain-1", "ssd-1", "plain-2");
            assertThat(prefer.get("ssd-1").path("raw").asLong()).isEqualTo(100);
            assertThat(prefer.get("ssd-1").path("weight").asInt()).isEqualTo(5);
            assertThat(prefer.get("ssd-1").path("weighted").asLong()).isEqualTo(500);
            assertThat(prefer.get("plain-1").path("raw").asLong()).isZero();
            assertThat(prefer.get("plain-2").path("raw").asLong()).isZero();
            assertThat(explained.path("scores").get(0).path("node").asText()).isEqualTo("ssd-1");
        }
    }

    @Test
    void argsWithoutALabelAreAProfileError() {
        ClusterProfile profile = ProfileLoader.parse("bad.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: bad}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                scheduler:
                  profiles:
                    - plugins: {score: {enabled: [{name: PreferLabeledNodes, weight: 1}]}}
                      pluginConfig: [{name: PreferLabeledNodes, args: {value: ssd}}]
                """);
        assertThatThrownBy(() -> Cluster.check(profile, new PluginBinder(PluginRegistry.discover(Optional.empty()), "bad.yaml")))
                .hasMessageContaining("bad.yaml").hasMessageContaining("label is required");
    }

    /** A jar of the plugin's package, as it sits in the samples jar. */
    private static void pluginJar(Path jar) throws IOException {
        Path classes = Path.of(PreferLabeledNodesFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path pkg = classes.resolve("io/kube4j/samples/scheduling");
        List<Path> files;
        try (Stream<Path> s = Files.list(pkg)) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (Path f : files) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                jarOut.write(Files.readAllBytes(f));
                jarOut.closeEntry();
            }
        }
    }

    private static void createNode(ApiClient client, String name, Map<String, String> labels) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        Map<String, String> all = new HashMap<>(labels);
        all.put("kubernetes.io/hostname", name);
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).withLabels(all).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus();
        Node created = client.create(node.build());
        if (created.getStatus() == null || created.getStatus().getAllocatable() == null
                || created.getStatus().getAllocatable().isEmpty()) {
            created.setStatus(node.build().getStatus());
            client.updateStatus(created);
        }
    }

    private static Optional<String> nodeOf(ApiClient client, String name) {
        return client.get(Pod.class, "apps", name).map(p -> p.getSpec().getNodeName()).filter(n -> !n.isEmpty());
    }
}
