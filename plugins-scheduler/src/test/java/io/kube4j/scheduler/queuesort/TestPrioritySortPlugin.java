package io.kube4j.scheduler.queuesort;

import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.scheduler.noderesources.PodRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPrioritySortPlugin {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final PrioritySortPlugin plugin = new PrioritySortPlugin();

    @Test
    void higherPriorityGoesFirst() {
        QueuedPodInfo high = queued("high", 100, T0.plusSeconds(10));
        QueuedPodInfo low = queued("low", 10, T0);

        assertThat(plugin.less(high, low)).isTrue();
        assertThat(plugin.less(low, high)).isFalse();
    }

    @Test
    void equalPriorityGoesByQueueTimestamp() {
        QueuedPodInfo earlier = queued("earlier", 5, T0);
        QueuedPodInfo later = queued("later", 5, T0.plusMillis(1));

        assertThat(plugin.less(earlier, later)).isTrue();
        assertThat(plugin.less(later, earlier)).isFalse();
        assertThat(plugin.less(earlier, earlier)).isFalse();
    }

    @Test
    void missingPriorityCountsAsZero() {
        QueuedPodInfo none = QueuedPodInfo.added(PodRequests.podInfo(pod("none")), T0);
        QueuedPodInfo negative = queued("negative", -1, T0.minusSeconds(1));
        QueuedPodInfo zero = queued("zero", 0, T0.plusSeconds(1));

        assertThat(plugin.less(none, negative)).isTrue();
        assertThat(plugin.less(none, zero)).isTrue();
        assertThat(plugin.less(zero, none)).isFalse();
    }

    @Test
    void comparatorSortsTheQueue() {
        List<QueuedPodInfo> queue = new ArrayList<>(List.of(
                queued("c", 0, T0.plusSeconds(2)), queued("a", 1000, T0.plusSeconds(3)),
                queued("b", 0, T0.plusSeconds(1)), queued("d", 1000, T0.plusSeconds(4))));

        queue.sort(plugin.comparator());

        assertThat(queue).extracting(info -> info.podInfo().name()).containsExactly("a", "d", "b", "c");
    }

    @Test
    void nameIsUpstreamName() {
        assertThat(plugin.name()).isEqualTo("PrioritySort");
    }

    private static QueuedPodInfo queued(String name, int priority, Instant timestamp) {
        Pod pod = new PodBuilder(pod(name)).editSpec().withPriority(priority).endSpec().build();
        return QueuedPodInfo.added(PodRequests.podInfo(pod), timestamp);
    }
}
