package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.client.ApiClient;
import io.kube4j.runtime.assembly.Cluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's own HTTP port, reached as kube-scheduler's is: through the API server's service
 * proxy with the real {@code kubectl get --raw}, and directly at the address it announces in the
 * Endpoints {@code kube-system/kube-scheduler}. Nodes: node-a and node-b with 4 CPUs, node-c with
 * 4 CPUs and a {@code dedicated=gpu} NoSchedule taint.
 */
class TestSchedulerExplain {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROXY = "/api/v1/namespaces/kube-system/services/kube-scheduler:http/proxy";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-explain"));
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
        createNode("node-a", false);
        createNode("node-b", false);
        createNode("node-c", true);
        Clients.await("the scheduler announces its port", WAIT, () -> schedulerAddress().isPresent());
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
    void metricsCountAttemptsAndPendingPodsThroughTheProxyAndOnTheSchedulersOwnPort() throws Exception {
        namespace("metrics");
        String before = raw(PROXY + "/metrics");
        long scheduledBefore = sample(before, "scheduler_schedule_attempts_total{result=\"scheduled\",profile=\"default-scheduler\"}");
        long unschedulableBefore = sample(before,
                "scheduler_schedule_attempts_total{result=\"unschedulable\",profile=\"default-scheduler\"}");
        // A histogram's series appears with its first observation.
        long attemptsBefore = Math.max(0, sample(before,
                "scheduler_scheduling_attempt_duration_seconds_count{result=\"scheduled\",profile=\"default-scheduler\"}"));

        client.create(pod("metrics", "m-0", "100m").build());
        client.create(pod("metrics", "m-1", "100m").build());
        client.create(pod("metrics", "too-big", "64").build());
        awaitBound("metrics", "m-0");
        awaitBound("metrics", "m-1");

        Clients.await("the metrics count two scheduled and one unschedulable pod", WAIT, () -> {
            String now = raw(PROXY + "/metrics");
            return sample(now, "scheduler_schedule_attempts_total{result=\"scheduled\",profile=\"default-scheduler\"}")
                    == scheduledBefore + 2
                    && sample(now, "scheduler_schedule_attempts_total{result=\"unschedulable\",profile=\"default-scheduler\"}")
                    > unschedulableBefore
                    && sample(now, "scheduler_pending_pods{queue=\"unschedulable\"}") >= 1;
        });
        String after = raw(PROXY + "/metrics");
        assertThat(sample(after,
                "scheduler_scheduling_attempt_duration_seconds_count{result=\"scheduled\",profile=\"default-scheduler\"}"))
                .isEqualTo(attemptsBefore + 2);
        assertThat(sample(after, "scheduler_pod_scheduling_sli_duration_seconds_count{attempts=\"1\"}")).isGreaterThanOrEqualTo(2);
        assertThat(after).contains("# TYPE scheduler_scheduling_attempt_duration_seconds histogram",
                "scheduler_scheduling_attempt_duration_seconds_bucket{result=\"scheduled\",profile=\"default-scheduler\",le=\"0.001\"}",
                "scheduler_pending_pods{queue=\"active\"}", "scheduler_pending_pods{queue=\"backoff\"}",
                "scheduler_pending_pods{queue=\"gated\"} 0", "scheduler_preemption_attempts_total");

        // The same port without the API server, as curl would read it.
        URI direct = schedulerAddress().orElseThrow().resolve("/metrics");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(direct).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(sample(response.body(),
                    "scheduler_schedule_attempts_total{result=\"scheduled\",profile=\"default-scheduler\"}"))
                    .isGreaterThanOrEqualTo(scheduledBefore + 2);
            assertThat(http.send(HttpRequest.newBuilder(schedulerAddress().orElseThrow().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
    }

    @Test
    void explanationOfAnUnschedulablePodNamesEachNodesFilterPluginAndReason() throws Exception {
        namespace("unfit");
        client.create(pod("unfit", "huge", "16").build());
        Clients.await("an explanation of unfit/huge", WAIT, () -> kubectl.run("get", "--raw", PROXY + "/debug/pods/unfit/huge")
                .exitCode() == 0);
        JsonNode explained = JSON.readTree(raw(PROXY + "/debug/pods/unfit/huge"));
        assertThat(explained.path("result").asText()).isEqualTo("Unschedulable");
        assertThat(explained.path("message").asText())
                .isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. "
                        + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                        + "2 No preemption victims found for incoming pod.");
        assertThat(explained.path("numAllNodes").asInt()).isEqualTo(3);
        Map<String, JsonNode> filter = byNode(explained.path("filter"));
        assertThat(filter).containsOnlyKeys("node-a", "node-b", "node-c");
        for (String node : List.of("node-a", "node-b")) {
            assertThat(filter.get(node).path("verdict").asText()).isEqualTo("Unschedulable");
            assertThat(filter.get(node).path("plugin").asText()).isEqualTo("NodeResourcesFit");
            assertThat(filter.get(node).path("reasons").get(0).asText()).isEqualTo("Insufficient cpu");
        }
        assertThat(filter.get("node-c").path("verdict").asText()).isEqualTo("UnschedulableAndUnresolvable");
        assertThat(filter.get("node-c").path("plugin").asText()).isEqualTo("TaintToleration");
        assertThat(filter.get("node-c").path("reasons").get(0).asText()).isEqualTo("node(s) had untolerated taint {dedicated: gpu}");
        assertThat(explained.has("scores")).isFalse();

        Kubectl.Result unknown = kubectl.run("get", "--raw", PROXY + "/debug/pods/unfit/never-created");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("NotFound");
    }

    @Test
    void explanationOfAScheduledPodShowsEveryScoreAndTheirSum() throws Exception {
        namespace("fit");
        client.create(pod("fit", "web", "1").build());
        String node = awaitBound("fit", "web");
        JsonNode explained = JSON.readTree(raw(PROXY + "/debug/pods/fit/web"));
        assertThat(explained.path("result").asText()).isIn("Scheduled", "Selected");
        assertThat(explained.path("node").asText()).isEqualTo(node);
        assertThat(explained.path("schedulerName").asText()).isEqualTo("default-scheduler");
        Map<String, JsonNode> filter = byNode(explained.path("filter"));
        assertThat(filter.get("node-a").path("verdict").asText()).isEqualTo("Passed");
        assertThat(filter.get("node-b").path("verdict").asText()).isEqualTo("Passed");
        assertThat(filter.get("node-c").path("plugin").asText()).isEqualTo("TaintToleration");

        Map<String, JsonNode> scores = byNode(explained.path("scores"));
        assertThat(scores).containsOnlyKeys("node-a", "node-b");
        long best = 0;
        for (JsonNode score : scores.values()) {
            List<String> plugins = new ArrayList<>();
            long sum = 0;
            for (JsonNode p : score.path("plugins")) {
                plugins.add(p.path("plugin").asText());
                assertThat(p.path("weighted").asLong()).isEqualTo(p.path("normalized").asLong() * p.path("weight").asLong());
                assertThat(p.path("normalized").asLong()).isBetween(0L, 100L);
                sum += p.path("weighted").asLong();
            }
            assertThat(plugins).contains("NodeResourcesFit", "TaintToleration", "NodeResourcesBalancedAllocation");
            assertThat(score.path("total").asLong()).isEqualTo(sum);
            best = Math.max(best, sum);
        }
        assertThat(scores.get(node).path("total").asLong()).as("the bound node has the highest total").isEqualTo(best);
        assertThat(explained.path("scores").get(0).path("total").asLong()).as("best first").isEqualTo(best);

        Clients.await("the explanation says the pod is bound", WAIT, () -> raw(PROXY + "/debug/pods/fit/web")
                .contains("\"result\" : \"Scheduled\""));
    }

    // ---- helpers

    private static String raw(String path) {
        return kubectl.run("get", "--raw", path).ok().out();
    }

    /** The value of one sample line of a Prometheus text scrape; -1 when absent. */
    static long sample(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.e+]+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static Map<String, JsonNode> byNode(JsonNode array) {
        Map<String, JsonNode> byNode = new HashMap<>();
        array.forEach(n -> byNode.put(n.path("node").asText(), n));
        return byNode;
    }

    /** http://ip:port of the scheduler, from the Endpoints it announces itself in. */
    private static Optional<URI> schedulerAddress() {
        return client.get(Endpoints.class, "kube-system", "kube-scheduler")
                .filter(e -> e.getSubsets() != null && !e.getSubsets().isEmpty())
                .map(e -> {
                    EndpointAddress address = e.getSubsets().getFirst().getAddresses().getFirst();
                    EndpointPort port = e.getSubsets().getFirst().getPorts().getFirst();
                    return URI.create("http://" + address.getIp() + ":" + port.getPort());
                });
    }

    private static void createNode(String name, boolean tainted) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus();
        if (tainted) {
            node.editSpec().addNewTaint().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").endTaint().endSpec();
        }
        Node created = client.create(node.build());
        if (created.getStatus() == null || created.getStatus().getAllocatable() == null
                || created.getStatus().getAllocatable().isEmpty()) {
            created.setStatus(node.build().getStatus());
            client.updateStatus(created);
        }
    }

    private static void namespace(String name) {
        client.create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    }

    private static PodBuilder pod(String namespace, String name, String cpu) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("256Mi")))
                .endResources().endContainer().endSpec();
    }

    private static String awaitBound(String namespace, String name) throws InterruptedException {
        Clients.await(namespace + "/" + name + " bound", WAIT, () -> client.get(Pod.class, namespace, name)
                .map(p -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()).orElse(false));
        return client.get(Pod.class, namespace, name).orElseThrow().getSpec().getNodeName();
    }
}
