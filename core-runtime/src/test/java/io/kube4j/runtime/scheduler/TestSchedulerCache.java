package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TestSchedulerCache {

    private static Node node(String name) {
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"));
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withAllocatable(allocatable)
                .addNewImage().withNames("busybox:1.36").withSizeBytes(4_000_000L).endImage()
                .endStatus().build();
    }

    private static Pod pod(String name, String cpu, String nodeName) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("c")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu))).endResources().endContainer()
                .addNewInitContainer().withName("init")
                .withNewResources().withRequests(Map.of("cpu", new Quantity("1500m"))).endResources().endInitContainer()
                .endSpec().build();
    }

    private static NodeInfo info(SchedulerCache cache, String node) {
        return cache.snapshot().get(node).orElseThrow();
    }

    @Test
    void anAssumedPodCountsUntilForgottenAndAConfirmedOneStays() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("n1"));
        cache.addOrUpdateNode(node("n2"));
        assertThat(info(cache, "n1").allocatable().milliCpu()).isEqualTo(4000);
        assertThat(info(cache, "n1").imageStates().get("busybox:1.36").numNodes()).isEqualTo(2);

        PodInfo a = PodInfos.of(pod("a", "500m", "n1"));
        assertThat(a.requests().milliCpu()).as("the larger of the containers' sum and an init container").isEqualTo(1500);
        assertThat(a.requests().pods()).isEqualTo(1);
        assertThat(a.nonZeroRequests().memoryBytes()).as("no memory request counts as 200 MiB").isEqualTo(200L << 20);
        cache.assume(a, "n1");
        assertThat(cache.isAssumed("ns/a")).isTrue();
        assertThat(info(cache, "n1").requested().milliCpu()).isEqualTo(1500);
        cache.forget(a);
        assertThat(info(cache, "n1").pods()).isEmpty();

        cache.assume(a, "n1");
        cache.addOrUpdatePod(pod("a", "500m", "n1"));
        assertThat(cache.isAssumed("ns/a")).as("confirmed by the informer").isFalse();
        cache.forget(a);
        assertThat(info(cache, "n1").pods()).as("a confirmed pod is not forgotten").hasSize(1);

        cache.removePod(pod("a", "500m", "n1"));
        assertThat(info(cache, "n1").requested().milliCpu()).isZero();
    }

    @Test
    void theSnapshotIsReusedUntilSomethingChanges() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("n1"));
        SchedulerCache.Snapshot first = cache.snapshot();
        assertThat(cache.snapshot()).isSameAs(first);
        cache.addOrUpdatePod(pod("b", "1", "n1"));
        assertThat(cache.snapshot()).isNotSameAs(first);
        assertThat(first.get("n1").orElseThrow().pods()).as("an old snapshot does not change").isEmpty();
        cache.removeNode(node("n1"));
        assertThat(cache.snapshot().list()).isEmpty();
    }

    @Test
    void theSnapshotKnowsWhichNodesHostPodsWithAffinity() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("n1"));
        cache.addOrUpdateNode(node("n2"));
        cache.addOrUpdateNode(node("n3"));
        cache.addOrUpdatePod(pod("plain", "1", "n1"));
        cache.addOrUpdatePod(new PodBuilder(pod("preferred", "1", "n2")).editSpec().withNewAffinity().withNewPodAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1).withNewPodAffinityTerm()
                .withTopologyKey("zone").endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity().endAffinity().endSpec().build());
        cache.addOrUpdatePod(new PodBuilder(pod("anti", "1", "n3")).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("zone")
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build());

        SchedulerCache.Snapshot snapshot = cache.snapshot();

        assertThat(snapshot.havePodsWithAffinityList()).extracting(NodeInfo::nodeName).containsExactly("n2", "n3");
        assertThat(snapshot.havePodsWithRequiredAntiAffinityList()).extracting(NodeInfo::nodeName).containsExactly("n3");
        assertThat(snapshot.get("n3")).map(NodeInfo::nodeName).contains("n3");
        assertThat(snapshot.get("n4")).isEmpty();
    }

    @Test
    void aChangeRebuildsOnlyItsNodeAndKeepsTheOrder() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("n2"));
        cache.addOrUpdateNode(node("n1"));
        cache.addOrUpdateNode(node("n3"));
        SchedulerCache.Snapshot before = cache.snapshot();
        assertThat(before.list()).extracting(NodeInfo::nodeName).containsExactly("n1", "n2", "n3");

        cache.assume(PodInfos.of(pod("a", "1", "n2")), "n2");
        SchedulerCache.Snapshot after = cache.snapshot();

        assertThat(after.list()).extracting(NodeInfo::nodeName).containsExactly("n1", "n2", "n3");
        assertThat(after.get("n1").orElseThrow()).as("an unchanged node is reused").isSameAs(before.get("n1").orElseThrow());
        assertThat(after.get("n3").orElseThrow()).isSameAs(before.get("n3").orElseThrow());
        assertThat(after.list().get(1)).isSameAs(after.get("n2").orElseThrow());
        assertThat(after.get("n2").orElseThrow().pods()).extracting(PodInfo::name).containsExactly("a");
        assertThat(before.get("n2").orElseThrow().pods()).as("the earlier snapshot does not change").isEmpty();
        assertThat(before.list().get(1).pods()).isEmpty();

        cache.addOrUpdateNode(new NodeBuilder(node("n0")).editStatus().withImages(List.of()).endStatus().build());
        assertThat(cache.snapshot().list()).extracting(NodeInfo::nodeName).containsExactly("n0", "n1", "n2", "n3");
        assertThat(cache.snapshot().get("n2").orElseThrow()).as("a node without images changes no image count")
                .isSameAs(after.get("n2").orElseThrow());
        cache.addOrUpdateNode(node("n4"));
        assertThat(cache.snapshot().get("n2").orElseThrow().imageStates().get("busybox:1.36").numNodes()).isEqualTo(4);
    }

    @Test
    void podsOfAnUnknownNodeCountOnceItAppearsAndAPodMayMove() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdatePod(pod("early", "1", "n1"));
        assertThat(cache.snapshot().list()).isEmpty();
        cache.addOrUpdateNode(node("n1"));
        cache.addOrUpdateNode(node("n2"));
        assertThat(info(cache, "n1").pods()).extracting(PodInfo::name).containsExactly("early");

        cache.assume(PodInfos.of(pod("p", "1", "n1")), "n1");
        cache.addOrUpdatePod(pod("p", "1", "n2"));
        assertThat(info(cache, "n1").pods()).extracting(PodInfo::name).containsExactly("early");
        assertThat(info(cache, "n2").pods()).extracting(PodInfo::name).containsExactly("p");

        cache.removeNode(node("n1"));
        assertThat(cache.nodeCount()).isEqualTo(1);
        assertThat(info(cache, "n2").imageStates().get("busybox:1.36").numNodes()).as("image counts follow the nodes").isEqualTo(1);
        cache.addOrUpdateNode(node("n1"));
        assertThat(info(cache, "n1").pods()).as("still bound to the node that came back").hasSize(1);
        assertThat(info(cache, "n2").imageStates().get("busybox:1.36").numNodes()).isEqualTo(2);
    }

    /** Random changes: every snapshot equals one built from scratch from what the cache was told. */
    @Test
    void incrementalSnapshotsEqualFullRebuilds() {
        Random random = new Random(42);
        SchedulerCache cache = new SchedulerCache();
        Map<String, Node> nodes = new TreeMap<>();
        Map<String, String> podNodes = new HashMap<>();
        Map<String, String> podCpu = new HashMap<>();
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(10);
            String nodeName = "n" + random.nextInt(12);
            String podName = "p" + random.nextInt(60);
            if (op == 0) {
                Node n = random.nextBoolean() ? node(nodeName)
                        : new NodeBuilder(node(nodeName)).editStatus().withImages(List.of()).endStatus().build();
                cache.addOrUpdateNode(n);
                nodes.put(nodeName, n);
            } else if (op == 1) {
                cache.removeNode(node(nodeName));
                nodes.remove(nodeName);
            } else if (op <= 5) {
                String cpu = (1 + random.nextInt(4)) + "00m";
                Pod p = pod(podName, cpu, nodeName);
                if (random.nextBoolean()) {
                    cache.addOrUpdatePod(p);
                } else {
                    cache.assume(PodInfos.of(p), nodeName);
                }
                podNodes.put(podName, nodeName);
                podCpu.put(podName, cpu);
            } else if (op <= 7) {
                cache.removePod(pod(podName, "1", "x"));
                podNodes.remove(podName);
            }
            if (random.nextInt(3) == 0) {
                assertMatches(cache.snapshot(), nodes, podNodes, podCpu, step);
            }
        }
    }

    private static void assertMatches(SchedulerCache.Snapshot snapshot, Map<String, Node> nodes, Map<String, String> podNodes,
                                      Map<String, String> podCpu, int step) {
        assertThat(snapshot.list()).as("step %d", step).extracting(NodeInfo::nodeName).containsExactlyElementsOf(nodes.keySet());
        long withImage = nodes.values().stream().filter(n -> !n.getStatus().getImages().isEmpty()).count();
        for (NodeInfo info : snapshot.list()) {
            String name = info.nodeName();
            assertThat(info.node()).isSameAs(nodes.get(name));
            assertThat(snapshot.get(name)).containsSame(info);
            Set<String> expected = podNodes.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(info.pods()).as("step %d node %s", step, name).extracting(PodInfo::name)
                    .containsExactlyInAnyOrderElementsOf(expected);
            Resources requested = Resources.ZERO;
            for (String pod : expected) {
                requested = requested.plus(PodInfos.of(pod(pod, podCpu.get(pod), name)).requests());
            }
            assertThat(info.requested()).as("step %d node %s", step, name).isEqualTo(requested);
            if (info.imageStates().containsKey("busybox:1.36")) {
                assertThat(info.imageStates().get("busybox:1.36").numNodes()).as("step %d", step).isEqualTo((int) withImage);
            }
        }
        List<String> unknown = new ArrayList<>(podNodes.values());
        unknown.removeAll(nodes.keySet());
        assertThat(snapshot.list().stream().mapToInt(n -> n.pods().size()).sum())
                .isEqualTo(podNodes.size() - unknown.size());
    }
}
