package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permit's WAIT through the real scheduler, with the example {@code GangPermit} plugin of samples:
 * a gang's pods keep their reservations at Permit and bind together once the last member is
 * reserved; a gang that stays incomplete is rejected when its wait times out.
 */
class TestGangPermit {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROXY = "/api/v1/namespaces/kube-system/services/kube-scheduler:http/proxy";
    @TempDir
    static Path dataDir;
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        ClusterProfile profile = ProfileLoader.parse("gang.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: gang}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                  authentication: [{plugin: token, config: {file: tokens.csv}}]
                  authorization: [{plugin: always-allow}]
                scheduler:
                  leaderElection: {leaderElect: false}
                  profiles:
                    - schedulerName: default-scheduler
                      plugins: {permit: {enabled: [{name: GangPermit}]}}
                      pluginConfig: [{name: GangPermit, args: {timeoutSeconds: 2}}]
                """).withDataDir(dataDir.toString());
        cluster = Cluster.start(profile, "gang.yaml", Optional.empty());
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
        for (String node : new String[] {"node-1", "node-2"}) {
            Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                    "pods", new Quantity("110"));
            client.create(new NodeBuilder().withNewMetadata().withName(node)
                    .withLabels(Map.of("kubernetes.io/hostname", node)).endMetadata().withNewSpec().endSpec()
                    .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        }
        client.create(new NamespaceBuilder().withNewMetadata().withName("gangs").endMetadata().build());
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

    @Test
    void aGangBindsOnlyOnceEveryMemberIsReserved() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        client.create(member("trio", "trio-0", 3));
        client.create(member("trio", "trio-1", 3));
        for (String name : new String[] {"trio-0", "trio-1"}) {
            Clients.await(name + " waiting at Permit", WAIT, () -> "WaitingOnPermit".equals(result(name)));
        }
        assertThat(nodeOf("trio-0")).as("reserved but not bound while the gang is incomplete").isEmpty();
        assertThat(nodeOf("trio-1")).isEmpty();
        assertThat(explain("trio-0").path("message").asText()).contains("waiting at Permit for GangPermit");

        client.create(member("trio", "trio-2", 3));

        for (String name : new String[] {"trio-0", "trio-1", "trio-2"}) {
            Clients.await(name + " bound", WAIT, () -> nodeOf(name).isPresent());
        }
    }

    @Test
    void anIncompleteGangIsRejectedWhenItsWaitTimesOut() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        client.create(member("pair", "lonely", 2));

        Clients.await("a FailedScheduling event for the timeout", WAIT, () -> client.list(Event.class,
                ListOptions.inNamespace("gangs")).items().stream().anyMatch(e -> "lonely".equals(e.getInvolvedObject().getName())
                && "FailedScheduling".equals(e.getReason())
                && e.getMessage().contains("rejected due to timeout after waiting 2s at plugin GangPermit")));
        assertThat(nodeOf("lonely")).isEmpty();
    }

    private static Pod member(String gang, String name, int size) {
        return new PodBuilder().withNewMetadata().withNamespace("gangs").withName(name)
                .withLabels(Map.of("kube4j.io/gang", gang))
                .withAnnotations(Map.of("kube4j.io/gang-size", Integer.toString(size))).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
    }

    private static Optional<String> nodeOf(String name) {
        return client.get(Pod.class, "gangs", name).map(p -> p.getSpec().getNodeName()).filter(n -> !n.isEmpty());
    }

    private static String result(String name) {
        Kubectl.Result r = kubectl.run("get", "--raw", PROXY + "/debug/pods/gangs/" + name);
        if (r.exitCode() != 0) {
            return "";
        }
        try {
            return new ObjectMapper().readTree(r.out()).path("result").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static JsonNode explain(String name) throws java.io.IOException {
        return new ObjectMapper().readTree(kubectl.run("get", "--raw", PROXY + "/debug/pods/gangs/" + name).ok().out());
    }
}
