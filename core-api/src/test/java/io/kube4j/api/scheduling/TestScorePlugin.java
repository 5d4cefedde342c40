package io.kube4j.api.scheduling;

import static io.kube4j.api.scheduling.Fixtures.nodeInfo;
import static io.kube4j.api.scheduling.Fixtures.pod;
import static io.kube4j.api.scheduling.Fixtures.podInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A toy plugin at several points, driven the way the framework drives plugins. */
class TestScorePlugin {

    /** Fits pods by CPU and prefers the emptiest node. */
    static final class ToyFit implements PreFilterPlugin, FilterPlugin, ScorePlugin, ScoreExtensions, ReservePlugin,
            EnqueueExtensions {
        static final String NAME = "ToyFit";
        record Request(long milliCpu) implements CycleState.StateData {
        }
        static final CycleState.Key<Request> REQUEST = new CycleState.Key<>(NAME + "/request", Request.class);
        final AtomicInteger unreserved = new AtomicInteger();

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public PreFilterResult preFilter(CycleState state, Pod pod) {
            long milliCpu = pod.getSpec().getContainers().stream()
                    .mapToLong(c -> Resources.of(c.getResources().getRequests()).milliCpu()).sum();
            state.write(REQUEST, new Request(milliCpu));
            return PreFilterResult.allNodes();
        }

        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            long wanted = state.read(REQUEST).orElseThrow().milliCpu();
            long free = nodeInfo.allocatable().milliCpu() - nodeInfo.requested().milliCpu();
            return wanted <= free ? Status.success() : Status.unschedulable("Insufficient cpu");
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return nodeInfo.allocatable().milliCpu() - nodeInfo.requested().milliCpu();
        }

        @Override
        public Optional<ScoreExtensions> scoreExtensions() {
            return Optional.of(this);
        }

        @Override
        public List<NodeScore> normalizeScore(CycleState state, Pod pod, List<NodeScore> scores) {
            return ScoreExtensions.defaultNormalize(scores, false);
        }

        @Override
        public Status reserve(CycleState state, Pod pod, String nodeName) {
            return Status.success();
        }

        @Override
        public void unreserve(CycleState state, Pod pod, String nodeName) {
            unreserved.incrementAndGet();
        }

        @Override
        public List<ClusterEventWithHint> eventsToRegister() {
            return List.of(ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE)),
                    ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE_NODE_ALLOCATABLE)));
        }
    }

    @Test
    void theToyPicksTheEmptiestNodeThatFits() {
        ToyFit plugin = new ToyFit();
        List<NodeInfo> nodes = List.of(
                nodeInfo("full", "1").withPod(podInfo("hog", "900m", 0)),
                nodeInfo("half", "2").withPod(podInfo("half-hog", "1", 0)),
                nodeInfo("empty", "4"));
        Pod pod = pod("web", "500m", 0);
        CycleState state = new CycleState();

        assertThat(plugin.preFilter(state, pod).isAllNodes()).isTrue();
        Map<String, Status> rejected = new java.util.HashMap<>();
        List<NodeScore> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            Status status = plugin.filter(state, pod, node);
            if (status.isSuccess()) {
                scores.add(new NodeScore(node.nodeName(), plugin.score(state, pod, node)));
            } else {
                rejected.put(node.nodeName(), status.withFailedPlugin(plugin.name()));
            }
        }
        List<NodeScore> normalized = plugin.scoreExtensions().orElseThrow().normalizeScore(state, pod, scores);

        assertThat(rejected).containsOnlyKeys("full");
        assertThat(rejected.get("full").message()).isEqualTo("Insufficient cpu");
        assertThat(normalized).containsExactly(new NodeScore("half", 25), new NodeScore("empty", 100));
        assertThat(normalized).allMatch(NodeScore::isNormalized);

        NodeToStatus diagnosis = new NodeToStatus(rejected, Status.unschedulableAndUnresolvable("not filtered"));
        assertThat(diagnosis.get("full").failedPlugin()).contains(ToyFit.NAME);
        assertThat(diagnosis.get("elsewhere").code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(diagnosis.nodesWherePreemptionMightHelp(List.of("full", "elsewhere"))).containsExactly("full");
    }

    @Test
    void unreserveToleratesRepeats() {
        ToyFit plugin = new ToyFit();
        Pod pod = pod("web", "1", 0);
        plugin.unreserve(new CycleState(), pod, "node-1");
        plugin.unreserve(new CycleState(), pod, "node-1");
        assertThat(plugin.unreserved).hasValue(2);
    }

    @Test
    void theToyRegistersEventsThatUndoItsRejections() {
        List<ClusterEventWithHint> events = new ToyFit().eventsToRegister();
        ClusterEvent allocatableGrew = ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE_NODE_ALLOCATABLE);
        ClusterEvent labelChanged = ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE_NODE_LABEL);
        assertThat(events).anyMatch(e -> e.event().matches(allocatableGrew));
        assertThat(events).noneMatch(e -> e.event().matches(labelChanged));
    }

    @Test
    void defaultNormalizeScalesAndReverses() {
        List<NodeScore> raw = List.of(new NodeScore("a", 0), new NodeScore("b", 5), new NodeScore("c", 10));
        assertThat(ScoreExtensions.defaultNormalize(raw, false)).extracting(NodeScore::score).containsExactly(0L, 50L, 100L);
        assertThat(ScoreExtensions.defaultNormalize(raw, true)).extracting(NodeScore::score).containsExactly(100L, 50L, 0L);
        List<NodeScore> zeros = List.of(new NodeScore("a", 0), new NodeScore("b", 0));
        assertThat(ScoreExtensions.defaultNormalize(zeros, false)).extracting(NodeScore::score).containsExactly(0L, 0L);
        assertThat(ScoreExtensions.defaultNormalize(zeros, true)).extracting(NodeScore::score).containsExactly(100L, 100L);
        assertThat(new NodeScore("a", 101).isNormalized()).isFalse();
        assertThatThrownBy(() -> new NodeScore("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void preFilterResultsIntersect() {
        PreFilterResult ab = PreFilterResult.only(Set.of("a", "b"));
        PreFilterResult bc = PreFilterResult.only(Set.of("b", "c"));
        assertThat(ab.merge(bc).nodeNames()).contains(Set.of("b"));
        assertThat(PreFilterResult.allNodes().merge(ab)).isEqualTo(ab);
        assertThat(ab.merge(PreFilterResult.allNodes())).isEqualTo(ab);
        assertThatThrownBy(() -> ab.merge(PreFilterResult.of(Status.skip()))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PreFilterResult(Status.skip(), Optional.of(Set.of("a"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PostFilterResult(Status.unschedulable("no victims"), Optional.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PostFilterResult.nominate("a").nominatedNodeName()).contains("a");
    }

    @Test
    void queueSortComparatorFollowsLess() {
        QueueSortPlugin fifo = new QueueSortPlugin() {
            @Override
            public String name() {
                return "Fifo";
            }

            @Override
            public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
                return a.timestamp().isBefore(b.timestamp());
            }
        };
        QueuedPodInfo early = QueuedPodInfo.added(podInfo("early", "1", 0), Instant.ofEpochSecond(1));
        QueuedPodInfo late = QueuedPodInfo.added(podInfo("late", "1", 0), Instant.ofEpochSecond(2));
        QueuedPodInfo alsoLate = QueuedPodInfo.added(podInfo("also-late", "1", 0), Instant.ofEpochSecond(2));

        List<QueuedPodInfo> queue = new ArrayList<>(List.of(late, early));
        queue.sort(fifo.comparator());
        assertThat(queue).containsExactly(early, late);
        assertThat(fifo.comparator().compare(late, alsoLate)).isZero();
    }
}
