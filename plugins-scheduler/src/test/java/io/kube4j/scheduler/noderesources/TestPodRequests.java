package io.kube4j.scheduler.noderesources;

import static io.kube4j.scheduler.SchedulingFixtures.MIB;
import static io.kube4j.scheduler.SchedulingFixtures.container;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.scheduling.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestPodRequests {

    @Test
    void containersAddUp() {
        Pod pod = new PodBuilder(pod("p", "500m", "1Gi")).editSpec().addToContainers(container("b", "250m", "512Mi")).endSpec().build();

        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(750, 1536 * MIB, 0, 0, Map.of()));
    }

    @Test
    void largestInitContainerWinsPerResource() {
        Pod pod = new PodBuilder(pod("p", "500m", "1Gi")).editSpec()
                .addToInitContainers(container("init-cpu", "2", "512Mi"), container("init-mem", "100m", "3Gi")).endSpec().build();

        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(2000, 3072 * MIB, 0, 0, Map.of()));
    }

    @Test
    void sidecarsAddToTheSumAndToLaterInitContainers() {
        Container sidecar = new ContainerBuilder(container("sidecar", "500m", "100Mi")).withRestartPolicy("Always").build();
        Pod pod = new PodBuilder(pod("p", "1", "1Gi")).editSpec()
                .addToInitContainers(sidecar, container("init", "2", "10Mi")).endSpec().build();

        // Containers and sidecar: 1500m, 1124Mi; the init container with the sidecar beside it: 2500m, 110Mi.
        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(2500, 1124 * MIB, 0, 0, Map.of()));
    }

    @Test
    void overheadIsAdded() {
        Pod pod = new PodBuilder(pod("p", "1", "1Gi")).editSpec()
                .withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi"))).endSpec().build();

        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(1250, 1144 * MIB, 0, 0, Map.of()));
    }

    @Test
    void scalarResourcesAreKept() {
        Pod pod = new PodBuilder(pod("p")).editSpec().editFirstContainer().editResources()
                .addToRequests("example.com/gpu", new Quantity("2")).addToRequests("ephemeral-storage", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build();

        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(0, 0, 1024 * MIB, 0, Map.of("example.com/gpu", 2L)));
    }

    @Test
    void nonZeroRequestsFillInMissingCpuAndMemoryPerContainer() {
        Pod pod = new PodBuilder(pod("p")).editSpec().addToContainers(container("explicit", "0", "1Gi")).endSpec().build();

        assertThat(PodRequests.nonZeroRequests(pod)).isEqualTo(new Resources(100, 200 * MIB + 1024 * MIB, 0, 0, Map.of()));
        assertThat(PodRequests.requests(pod)).isEqualTo(new Resources(0, 1024 * MIB, 0, 0, Map.of()));
    }

    @Test
    void podInfoCountsThePodItself() {
        var info = PodRequests.podInfo(pod("p", "1", null));

        assertThat(info.requests()).isEqualTo(new Resources(1000, 0, 0, 1, Map.of()));
        assertThat(info.nonZeroRequests()).isEqualTo(new Resources(1000, 200 * MIB, 0, 1, Map.of()));
    }
}
