package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PodInfo;
import java.util.Map;
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
}
