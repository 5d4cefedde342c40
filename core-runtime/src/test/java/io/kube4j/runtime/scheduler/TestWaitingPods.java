package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestWaitingPods {
    private final WaitingPods waiting = new WaitingPods();

    private static Pod pod(String uid) {
        return new PodBuilder().withNewMetadata().withNamespace("d").withName("p-" + uid).withUid(uid).endMetadata().build();
    }

    @Test
    void aPodGoesOnOnlyWhenEveryWaitingPluginAllowedIt() throws Exception {
        Pod pod = pod("u1");
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        timeouts.put("A", Duration.ofMinutes(1));
        timeouts.put("B", Duration.ofMinutes(1));
        waiting.park(pod, "n1", timeouts);
        WaitingPod parked = waiting.get("u1").orElseThrow();
        assertThat(parked.pendingPlugins()).containsExactlyInAnyOrder("A", "B");
        assertThat(parked.nodeName()).isEqualTo("n1");

        parked.allow("A");
        assertThat(parked.pendingPlugins()).containsExactly("B");
        parked.allow("B");

        assertThat(waiting.await(pod).isSuccess()).isTrue();
        assertThat(waiting.get("u1")).as("forgotten once decided").isEmpty();
    }

    @Test
    void theFirstRejectionDecides() throws Exception {
        Pod pod = pod("u2");
        waiting.park(pod, "n1", Map.of("A", Duration.ofMinutes(1)));
        waiting.get("u2").orElseThrow().reject("A", "gang broken");
        waiting.get("u2").orElseThrow().allow("A");

        Status decision = waiting.await(pod);

        assertThat(decision.isRejected()).isTrue();
        assertThat(decision.message()).isEqualTo("gang broken");
        assertThat(decision.failedPlugin()).hasValue("A");
    }

    @Test
    void aWaitThatTimesOutIsARejectionNamingThePlugin() throws Exception {
        Pod pod = pod("u3");
        waiting.park(pod, "n1", Map.of("Gang", Duration.ofMillis(50)));

        Status decision = waiting.await(pod);

        assertThat(decision.isRejected()).isTrue();
        assertThat(decision.message()).isEqualTo("rejected due to timeout after waiting 50ms at plugin Gang");
    }

    @Test
    void aPodThatIsNotParkedNeedNotWait() throws Exception {
        assertThat(waiting.await(pod("nobody")).isSuccess()).isTrue();
    }

    @Test
    void durationsPrintAsGoPrintsThem() {
        assertThat(WaitingPods.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(WaitingPods.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(WaitingPods.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(WaitingPods.format(Duration.ofMillis(250))).isEqualTo("250ms");
    }
}
