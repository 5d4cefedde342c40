package io.kube4j.runtime.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.runtime.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestSchedulingQueue {
    private static final ClusterEvent NODE_ADD = ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Higher spec.priority first, then the earlier timestamp, as PrioritySort. */
    private static final Comparator<QueuedPodInfo> PRIORITY = Comparator
            .comparing((QueuedPodInfo q) -> -priority(q.podInfo().pod()))
            .thenComparing(QueuedPodInfo::timestamp);

    private static int priority(Pod pod) {
        return pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
    }

    private SchedulingQueue queue() {
        return SchedulingQueue.withDefaults(PRIORITY, pod -> Optional.empty(), clock);
    }

    private static PodInfo pod(String name, int priority) {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withPriority(priority).endSpec().build();
        return new PodInfo(pod, Resources.ZERO, Resources.ZERO);
    }

    private static Optional<String> popName(SchedulingQueue queue) throws InterruptedException {
        return queue.pop(Duration.ZERO).map(q -> q.podInfo().name());
    }

    @Test
    void popsByQueueSortOrderAndCountsAttempts() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("low", 1));
        clock.advance(Duration.ofMillis(1));
        queue.add(pod("high", 10));
        clock.advance(Duration.ofMillis(1));
        queue.add(pod("low-later", 1));
        QueuedPodInfo first = queue.pop(Duration.ZERO).orElseThrow();
        assertThat(first.podInfo().name()).isEqualTo("high");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.initialAttemptTimestamp()).contains(clock.instant());
        assertThat(popName(queue)).contains("low");
        assertThat(popName(queue)).contains("low-later");
        assertThat(popName(queue)).isEmpty();
    }

    @Test
    void aFailedPodBacksOffOneSecondDoublingUpToTen() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        Duration[] expected = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10), Duration.ofSeconds(10)};
        QueuedPodInfo popped = queue.pop(Duration.ZERO).orElseThrow();
        for (Duration backoff : expected) {
            queue.addBackoff(popped);
            assertThat(queue.backoffCount()).isEqualTo(1);
            clock.advance(backoff.minusMillis(1));
            assertThat(popName(queue)).as("still backing off %s", backoff).isEmpty();
            clock.advance(Duration.ofMillis(1));
            popped = queue.pop(Duration.ZERO).orElseThrow(() -> new AssertionError("not back after " + backoff));
        }
        assertThat(popped.attempts()).isEqualTo(expected.length + 1);
    }

    @Test
    void unschedulablePodsWaitForAClusterEvent() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        QueuedPodInfo popped = queue.pop(Duration.ZERO).orElseThrow();
        queue.addUnschedulable(popped, queue.schedulingCycle());
        assertThat(queue.isUnschedulable("ns/p")).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(popName(queue)).as("no event, no retry").isEmpty();

        queue.moveAllToActiveOrBackoff(NODE_ADD);
        assertThat(queue.isUnschedulable("ns/p")).isFalse();
        assertThat(popName(queue)).as("back-off long over: active at once").contains("p");
    }

    @Test
    void onlyThePodsTheHintsAcceptAreMoved() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("helped", 0));
        queue.add(pod("not-helped", 0));
        queue.addUnschedulable(queue.pop(Duration.ZERO).orElseThrow(), queue.schedulingCycle());
        queue.addUnschedulable(queue.pop(Duration.ZERO).orElseThrow(), queue.schedulingCycle());
        clock.advance(Duration.ofMinutes(1));
        queue.moveToActiveOrBackoff(NODE_ADD, pod -> pod.podInfo().name().equals("helped"));
        assertThat(popName(queue)).contains("helped");
        assertThat(popName(queue)).isEmpty();
        assertThat(queue.isUnschedulable("ns/not-helped")).isTrue();
    }

    @Test
    void aPodMovedBeforeItsBackoffEndsWaitsInBackoff() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        queue.addUnschedulable(queue.pop(Duration.ZERO).orElseThrow(), queue.schedulingCycle());
        queue.moveAllToActiveOrBackoff(NODE_ADD);
        assertThat(queue.backoffCount()).isEqualTo(1);
        assertThat(popName(queue)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(popName(queue)).contains("p");
    }

    @Test
    void anEventDuringTheCycleSendsTheFailedPodToBackoffNotToTheUnschedulablePool() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        QueuedPodInfo popped = queue.pop(Duration.ZERO).orElseThrow();
        long cycle = queue.schedulingCycle();
        queue.moveAllToActiveOrBackoff(NODE_ADD);
        queue.addUnschedulable(popped, cycle);
        assertThat(queue.isUnschedulable("ns/p")).isFalse();
        assertThat(queue.backoffCount()).isEqualTo(1);
    }

    @Test
    void unschedulablePodsAreRetriedAfterFiveMinutesWithoutAnEvent() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        queue.addUnschedulable(queue.pop(Duration.ZERO).orElseThrow(), queue.schedulingCycle());
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(popName(queue)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(popName(queue)).contains("p");
    }

    @Test
    void gatedPodsStayOutUntilAnUpdateLiftsTheGate() throws Exception {
        SchedulingQueue queue = SchedulingQueue.withDefaults(PRIORITY,
                pod -> pod.pod().getMetadata().getLabels() == null || pod.pod().getMetadata().getLabels().isEmpty()
                        ? Optional.of("SchedulingGates") : Optional.empty(), clock);
        queue.add(pod("p", 0));
        assertThat(queue.isUnschedulable("ns/p")).isTrue();
        queue.moveAllToActiveOrBackoff(NODE_ADD);
        assertThat(popName(queue)).as("a cluster event does not lift a gate").isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(popName(queue)).as("nor does time").isEmpty();

        Pod ungated = new PodBuilder(pod("p", 0).pod()).editMetadata().addToLabels("ready", "yes").endMetadata().build();
        queue.update(new PodInfo(ungated, Resources.ZERO, Resources.ZERO));
        assertThat(popName(queue)).contains("p");
    }

    @Test
    void aPodDeletedWhileInFlightIsNotQueuedAgain() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(pod("p", 0));
        QueuedPodInfo popped = queue.pop(Duration.ZERO).orElseThrow();
        queue.delete("ns/p");
        queue.addUnschedulable(popped, queue.schedulingCycle());
        queue.addBackoff(popped);
        assertThat(queue.unschedulableCount() + queue.backoffCount() + queue.activeCount()).isZero();
    }

    @Test
    void deleteFindsAPodWhereverItWaits() throws Exception {
        SchedulingQueue queue = queue();
        for (String name : new String[] {"backoff", "unschedulable", "inflight", "active"}) {
            queue.add(pod(name, 0));
            clock.advance(Duration.ofMillis(1));
        }
        QueuedPodInfo backoff = queue.pop(Duration.ZERO).orElseThrow();
        QueuedPodInfo unschedulable = queue.pop(Duration.ZERO).orElseThrow();
        assertThat(popName(queue)).contains("inflight");
        queue.addBackoff(backoff);
        queue.addUnschedulable(unschedulable, queue.schedulingCycle());
        assertThat(new int[] {queue.activeCount(), queue.backoffCount(), queue.unschedulableCount()}).containsExactly(1, 1, 1);

        queue.delete("ns/active");
        queue.delete("ns/backoff");
        queue.delete("ns/unschedulable");
        queue.delete("ns/inflight");
        queue.delete("ns/never-queued");

        assertThat(queue.activeCount() + queue.backoffCount() + queue.unschedulableCount()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(popName(queue)).isEmpty();
    }

    @Test
    void popWaitsForAPodAndCloseWakesIt() throws Exception {
        SchedulingQueue queue = queue();
        CompletableFuture<Optional<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return popName(queue.pop(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        queue.add(pod("p", 0));
        assertThat(waiting.get(10, TimeUnit.SECONDS)).contains("p");

        CompletableFuture<Optional<QueuedPodInfo>> empty = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.pop(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        queue.close();
        assertThat(empty.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    private static Optional<String> popName(Optional<QueuedPodInfo> popped) {
        return popped.map(q -> q.podInfo().name());
    }
}
