package io.kube4j.scheduler.schedulinggates;

import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestSchedulingGatesPlugin {
    private final SchedulingGatesPlugin plugin = new SchedulingGatesPlugin();

    @Test
    void podWithoutGatesEnters() {
        assertThat(plugin.preEnqueue(pod("free"))).isEqualTo(Status.success());
    }

    @Test
    void gatedPodIsHeldBackNamingItsGates() {
        Pod gated = gated("gated", "example.com/quota", "example.com/approval");

        Status status = plugin.preEnqueue(gated);

        assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(status.message()).isEqualTo("waiting for scheduling gates: [example.com/quota example.com/approval]");
    }

    @Test
    void onlyTheGatedPodsOwnGateRemovalRequeuesIt() {
        ClusterEventWithHint registered = plugin.eventsToRegister().get(0);
        Pod gated = gated("gated", "g");

        assertThat(registered.event().matches(
                ClusterEvent.of(ClusterEvent.POD, ActionType.UPDATE_POD_SCHEDULING_GATES_ELIMINATED))).isTrue();
        assertThat(registered.event().matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD))).isFalse();
        assertThat(registered.hint().hint(gated, Optional.of(gated), Optional.<HasMetadata>of(pod("gated"))))
                .isEqualTo(QueueingHint.QUEUE);
        assertThat(registered.hint().hint(gated, Optional.empty(), Optional.<HasMetadata>of(pod("other"))))
                .isEqualTo(QueueingHint.SKIP);
    }

    private static Pod gated(String name, String... gates) {
        PodBuilder builder = new PodBuilder(pod(name));
        for (String gate : gates) {
            builder.editSpec().addNewSchedulingGate().withName(gate).endSchedulingGate().endSpec();
        }
        return builder.build();
    }
}
