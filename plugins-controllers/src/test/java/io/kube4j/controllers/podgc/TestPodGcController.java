package io.kube4j.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestPodGcController {

    private static Pod pod(String name, String created, String phase, String reason, String node) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name).withCreationTimestamp(created)
                .endMetadata().withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).withReason(reason)
                .endStatus().build();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void configDefaultsAndChecks() {
        PodGcConfig defaults = PodGcConfig.defaults();
        assertThat(defaults.terminatedPodGCThreshold()).isEqualTo(12500);
        assertThat(defaults.quarantine()).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.checkPeriod()).isEqualTo(Duration.ofSeconds(20));
        assertThat(new PodGcConfig(3, "1s", "2s").quarantine()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new PodGcConfig(null, "-1s", null)).hasMessageContaining("orphanQuarantine");
        assertThatThrownBy(() -> new PodGcConfig(null, null, "0")).hasMessageContaining("gcCheckPeriod");
        assertThat(new ObjectMapper().convertValue(Map.of("terminatedPodGCThreshold", 3,
                "orphanQuarantine", "1s", "gcCheckPeriod", "2s"), PodGcConfig.class)).isEqualTo(new PodGcConfig(3, "1s", "2s"));
    }

    @Test
    void terminatedPodsOverTheThresholdGoEvictedFirstThenOldest() {
        List<Pod> pods = List.of(
                pod("running-old", "2026-01-01T00:00:00Z", "Running", null, "n"),
                pod("done-3", "2026-01-01T00:00:03Z", "Succeeded", null, "n"),
                pod("failed-1", "2026-01-01T00:00:01Z", "Failed", null, "n"),
                pod("evicted-9", "2026-01-01T00:00:09Z", "Failed", "Evicted", "n"),
                pod("done-2", "2026-01-01T00:00:02Z", "Succeeded", null, "n"));
        assertThat(names(PodGcController.terminatedOverThreshold(pods, 2))).containsExactly("evicted-9", "failed-1");
        assertThat(names(PodGcController.terminatedOverThreshold(pods, 4))).isEmpty();
        assertThat(names(PodGcController.terminatedOverThreshold(pods, 0))).as("0 keeps them all").isEmpty();
    }

    @Test
    void orphansArePodsOnNodesThatAreNotThere() {
        Node a = new NodeBuilder().withNewMetadata().withName("a").endMetadata().build();
        List<Pod> pods = List.of(pod("on-a", "t", "Running", null, "a"), pod("on-b", "t", "Running", null, "b"),
                pod("unscheduled", "t", "Pending", null, null), pod("on-b-2", "t", "Succeeded", null, "b"));
        assertThat(PodGcController.orphans(pods, List.of(a))).containsOnlyKeys("b");
        assertThat(names(PodGcController.orphans(pods, List.of(a)).get("b"))).containsExactly("on-b", "on-b-2");
    }
}
