package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code podgc} controller with a threshold of 3 terminated pods and a 1 s quarantine for orphans. */
class TestPodGcController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        Path file = Profiles.DIR.resolve("single-node.yaml");
        ClusterProfile profile = ProfileLoader.load(file).withDataDir(Files.createTempDirectory("kube4j-podgc").toString())
                .withAddress("127.0.0.1:0").withNodes(List.of());
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("terminatedPodGCThreshold", 3)
                .put("orphanQuarantine", "1s").put("gcCheckPeriod", "2s");
        ControllerManagerProfile cm = profile.controllerManager().orElseThrow();
        profile = profile.withControllerManager(Optional.of(new ControllerManagerProfile(
                List.of("*", "-nodelifecycle"), cm.workers(), cm.leaderElection(), Map.of("podgc", config))));
        cluster = Cluster.start(Profiles.onFreePorts(profile), file.toString(), Optional.empty());
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void node(String name) {
        client.create(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build());
    }

    private static void pod(String namespace, String name, String node, String phase) {
        Pod pod = client.create(new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels("gc", "test").endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build());
        pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
        client.updateStatus(pod);
    }

    private static List<String> pods(String namespace) {
        return client.list(Pod.class, ListOptions.inNamespace(namespace)).items().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @Test
    void terminatedPodsOverTheThresholdAreDeletedOldestFirst() throws Exception {
        kubectl.run("create", "namespace", "gc-terminated").ok();
        node("gc-node");
        pod("gc-terminated", "running", "gc-node", "Running");
        for (int i = 1; i <= 5; i++) {
            pod("gc-terminated", "done-" + i, "gc-node", i % 2 == 0 ? "Failed" : "Succeeded");
            // Creation timestamps have seconds: space them so that "oldest" is well defined.
            if (i < 5) {
                Thread.sleep(1000);
            }
        }
        Clients.await("two oldest terminated pods deleted", WAIT,
                () -> pods("gc-terminated").equals(List.of("done-3", "done-4", "done-5", "running")));
    }

    @Test
    void podsOfANodeThatIsGoneAreDeletedAfterTheQuarantine() throws Exception {
        kubectl.run("create", "namespace", "gc-orphans").ok();
        node("gc-doomed");
        node("gc-staying");
        pod("gc-orphans", "orphan", "gc-doomed", "Running");
        pod("gc-orphans", "kept", "gc-staying", "Running");
        kubectl.run("delete", "node", "gc-doomed").ok();
        Clients.await("the orphan deleted", WAIT, () -> pods("gc-orphans").equals(List.of("kept")));
        assertThat(kubectl.run("get", "pods", "-n", "gc-orphans", "--no-headers").ok().out()).contains("kept").doesNotContain("orphan");
    }
}
