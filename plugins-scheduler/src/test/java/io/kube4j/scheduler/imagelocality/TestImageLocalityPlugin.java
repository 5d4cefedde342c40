package io.kube4j.scheduler.imagelocality;

import static io.kube4j.scheduler.SchedulingFixtures.MIB;
import static io.kube4j.scheduler.SchedulingFixtures.container;
import static io.kube4j.scheduler.SchedulingFixtures.context;
import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestImageLocalityPlugin {

    @Test
    void imageSizeIsScaledByHowManyNodesHaveIt() {
        List<NodeInfo> nodes = snapshot(List.of(
                withImage(node("n1"), 40 * MIB, "registry.example/small:v1"),
                withImage(node("n2"), 300 * MIB, "registry.example/big:v1")), List.of());
        Pod pod = new PodBuilder(pod("p")).withNewSpec().addToContainers(container("small", null, null), container("big", null, null))
                .endSpec().build();

        // n1: 40 MiB on 1 of 2 nodes = 20 MiB, under the 23 MiB floor; n2: 150 MiB of 2 x 1000 MiB = 100 * 127 / 1977.
        assertThat(scores(pod, nodes)).containsExactly(0L, 6L);
    }

    @Test
    void imageOnEveryNodeCountsInFull() {
        List<NodeInfo> nodes = snapshot(List.of(
                withImage(node("n1"), 300 * MIB, "registry.example/app:v1"),
                withImage(node("n2"), 300 * MIB, "registry.example/app:v1")), List.of());

        assertThat(scores(pod("p"), nodes)).containsExactly(28L, 28L);
    }

    @Test
    void hugeImagesAreCappedPerContainer() {
        List<NodeInfo> nodes = snapshot(List.of(withImage(node("n1"), 3000 * MIB, "registry.example/app:v1")), List.of());

        assertThat(scores(pod("p"), nodes)).containsExactly(100L);
    }

    @Test
    void initContainersCountToo() {
        List<NodeInfo> nodes = snapshot(List.of(withImage(node("n1"), 1000 * MIB, "registry.example/app:v1")), List.of());
        Pod withInit = new PodBuilder(pod("p")).editSpec().addToInitContainers(container("init", null, null)).endSpec().build();

        // The init container's image is missing: 1000 MiB of the 2000 MiB ceiling.
        assertThat(scores(withInit, nodes)).containsExactly(100L * (1000 - 23) / (2000 - 23));
    }

    @Test
    void untaggedImagesMeanLatest() {
        List<NodeInfo> nodes = snapshot(List.of(
                withImage(node("n1"), 500 * MIB, "registry.example/app:latest"),
                withImage(node("n2"), 500 * MIB, "localhost:5000/app:latest")), List.of());
        Pod pod = new PodBuilder(pod("p")).withNewSpec()
                .addToContainers(new ContainerBuilder().withName("a").withImage("registry.example/app").build()).endSpec().build();
        Pod withPort = new PodBuilder(pod("p")).withNewSpec()
                .addToContainers(new ContainerBuilder().withName("a").withImage("localhost:5000/app").build()).endSpec().build();

        assertThat(scores(pod, nodes)).containsExactly(100L * (250 - 23) / 977, 0L);
        assertThat(scores(withPort, nodes)).containsExactly(0L, 100L * (250 - 23) / 977);
        assertThat(ImageLocalityPlugin.normalizedImageName("registry.example/app@sha256:abc")).isEqualTo("registry.example/app@sha256:abc");
    }

    @Test
    void nodeWithoutTheImagesScoresZero() {
        assertThat(scores(pod("p"), snapshot(List.of(node("n1")), List.of()))).containsExactly(0L);
    }

    private static List<Long> scores(Pod pod, List<NodeInfo> nodes) {
        ImageLocalityPlugin plugin = new ImageLocalityPlugin(context(nodes).snapshot());
        return nodes.stream().map(node -> plugin.score(new CycleState(), pod, node)).toList();
    }

    private static Node withImage(Node node, long sizeBytes, String... names) {
        return new NodeBuilder(node).editOrNewStatus().addNewImage().withNames(names).withSizeBytes(sizeBytes).endImage().endStatus().build();
    }
}
