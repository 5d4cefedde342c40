package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.api.scheduling.Status;
import io.kube4j.runtime.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the scheduler remembers of its attempts: the metrics, and the explanation of each pod's
 * last attempt (every node's filter verdict, every Score plugin's raw, normalized and weighted
 * score per node) for the last {@code capacity} pods attempted, served on
 * {@code /debug/pods/<namespace>/<name>}.
 *
 * <p>Cheap on the scheduling path: an explanation keeps references to what the cycle computed
 * anyway (the rejected nodes' statuses, the score arrays) and is turned into JSON only when asked
 * for; recording is one insertion into a bounded map under a lock held for no I/O. Thread-safe.
 */
final class SchedulingAttempts {
    static final int DEFAULT_CAPACITY = 1000;
    static final CycleState.Key<Started> STARTED = new CycleState.Key<>("kube4j.io/attempt-started", Started.class);
    static final CycleState.Key<FilterVerdicts> FILTERED = new CycleState.Key<>("kube4j.io/attempt-filtered",
            FilterVerdicts.class);

    /** When the cycle began, by the monotonic clock. */
    record Started(long nanos) implements CycleState.StateData {
    }

    /**
     * The Filter outcome of a cycle.
     *
     * @param numAllNodes the nodes in the snapshot
     * @param rejected    the status of each node a Filter plugin rejected
     * @param feasible    the nodes that passed every Filter plugin
     * @param absent      why the nodes neither rejected nor feasible were not filtered, if PreFilter ruled them out
     */
    record FilterVerdicts(int numAllNodes, Map<String, Status> rejected, List<String> feasible, Optional<Status> absent)
            implements CycleState.StateData {
    }

    /** One pod's last attempt; turned into JSON on demand. */
    record Explanation(String namespace, String name, String uid, String profile, Instant time, int attempt,
                       String result, String message, Optional<String> node, Optional<FilterVerdicts> filter,
                       Optional<ScoreTable> scores) {
    }

    private final Clock clock;
    private final int capacity;
    private final SchedulerMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Explanation> explanations = new LinkedHashMap<>();

    SchedulingAttempts(Clock clock, int capacity, SchedulingQueue queue, Iterable<String> profiles) {
        this.clock = requireNonNull(clock, "clock is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.metrics = new SchedulerMetrics(queue, profiles);
    }

    SchedulerMetrics metrics() {
        return metrics;
    }

    /** A cycle begins. */
    void started(CycleState state) {
        state.write(STARTED, new Started(System.nanoTime()));
    }

    /** Filter ran over the candidate nodes. */
    static void filtered(CycleState state, int numAllNodes, Map<String, Status> rejected, List<NodeInfo> feasible,
                         Optional<Status> absent) {
        state.write(FILTERED, new FilterVerdicts(numAllNodes, rejected,
                feasible.stream().map(NodeInfo::nodeName).toList(), absent));
    }

    /** No node fits: the attempt counts as unschedulable; {@code error} holds every node's rejection. */
    void unschedulable(Framework framework, QueuedPodInfo info, CycleState state, FitError error, String message) {
        FilterVerdicts verdicts = state.read(FILTERED).orElseGet(() -> new FilterVerdicts(error.numAllNodes(),
                error.nodeStatuses(), List.of(), error.absentStatus()));
        end(framework, info, state, SchedulerMetrics.UNSCHEDULABLE, "Unschedulable", message, Optional.empty(),
                Optional.of(verdicts));
    }

    /** The attempt failed with {@code status} (rejected: unschedulable; else an error), perhaps after a node was selected. */
    void failed(Framework framework, QueuedPodInfo info, CycleState state, Status status, Optional<String> node) {
        boolean rejected = status.isRejected();
        end(framework, info, state, rejected ? SchedulerMetrics.UNSCHEDULABLE : SchedulerMetrics.ERROR,
                rejected ? "Unschedulable" : "Error", status.message(), node, state.read(FILTERED));
    }

    /** A node was selected: explained now, counted once bound. */
    void selected(Framework framework, QueuedPodInfo info, CycleState state, String node) {
        remember(explanation(framework, info, "Selected", "assumed on " + node + ", binding", Optional.of(node),
                state.read(FILTERED), state));
    }

    /** The pod is reserved on {@code node} and parked at Permit until {@code plugins} allow it. */
    void waiting(Framework framework, QueuedPodInfo info, CycleState state, String node, java.util.Set<String> plugins) {
        remember(explanation(framework, info, "WaitingOnPermit", "reserved on " + node + ", waiting at Permit for "
                + String.join(", ", new java.util.TreeSet<>(plugins)), Optional.of(node), state.read(FILTERED), state));
    }

    /** The binding cycle bound the pod to {@code node}. */
    void bound(Framework framework, QueuedPodInfo info, CycleState state, String node) {
        end(framework, info, state, SchedulerMetrics.SCHEDULED, "Scheduled", "bound to " + node, Optional.of(node),
                state.read(FILTERED));
        Instant first = info.initialAttemptTimestamp().orElse(info.timestamp());
        metrics.podScheduled(info.attempts(), Duration.between(first, clock.instant()));
    }

    /** PostFilter (preemption) ran. */
    void preemptionAttempted() {
        metrics.preemptionAttempted();
    }

    private void end(Framework framework, QueuedPodInfo info, CycleState state, String metricResult, String result,
                     String message, Optional<String> node, Optional<FilterVerdicts> filter) {
        long began = state.read(STARTED).map(Started::nanos).orElse(System.nanoTime());
        metrics.attempt(metricResult, framework.schedulerName(), Duration.ofNanos(System.nanoTime() - began));
        remember(explanation(framework, info, result, message, node, filter, state));
    }

    private Explanation explanation(Framework framework, QueuedPodInfo info, String result, String message,
                                    Optional<String> node, Optional<FilterVerdicts> filter, CycleState state) {
        var pod = info.podInfo().pod();
        return new Explanation(info.podInfo().namespace(), info.podInfo().name(),
                pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid(), framework.schedulerName(),
                clock.instant(), info.attempts(), result, message, node, filter, state.read(ScoreTable.KEY));
    }

    private void remember(Explanation e) {
        String key = e.namespace() + "/" + e.name();
        lock.lock();
        try {
            explanations.remove(key);
            explanations.put(key, e);
            if (explanations.size() > capacity) {
                explanations.remove(explanations.keySet().iterator().next());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The last attempt of {@code namespace/name}, if it is among the remembered ones. */
    Optional<Explanation> explanation(String namespace, String name) {
        lock.lock();
        try {
            return Optional.ofNullable(explanations.get(namespace + "/" + name));
        } finally {
            lock.unlock();
        }
    }

    /** The remembered pods, oldest attempt first. */
    List<Explanation> all() {
        lock.lock();
        try {
            return List.copyOf(explanations.values());
        } finally {
            lock.unlock();
        }
    }

    /** The JSON of {@code /debug/pods/<namespace>/<name>}. */
    static ObjectNode toJson(Explanation e) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode json = f.objectNode();
        json.put("pod", e.namespace() + "/" + e.name());
        json.put("uid", e.uid());
        json.put("schedulerName", e.profile());
        json.put("attempt", e.attempt());
        json.put("time", e.time().toString());
        json.put("result", e.result());
        json.put("message", e.message());
        e.node().ifPresent(n -> json.put("node", n));
        e.filter().ifPresent(v -> {
            json.put("numAllNodes", v.numAllNodes());
            ArrayNode filter = json.putArray("filter");
            Map<String, ObjectNode> byNode = new TreeMap<>();
            v.feasible().forEach(n -> byNode.put(n, f.objectNode().put("node", n).put("verdict", "Passed")));
            v.rejected().forEach((n, s) -> {
                ObjectNode o = f.objectNode().put("node", n).put("verdict", verdict(s.code()));
                s.failedPlugin().ifPresent(p -> o.put("plugin", p));
                ArrayNode reasons = o.putArray("reasons");
                s.reasons().forEach(reasons::add);
                byNode.put(n, o);
            });
            byNode.values().forEach(filter::add);
            int others = v.numAllNodes() - byNode.size();
            if (others > 0) {
                ObjectNode o = json.putObject("notFiltered").put("nodes", others);
                o.put("reason", v.absent().map(Status::message)
                        .orElse("enough feasible nodes were found before these were filtered (percentageOfNodesToScore)"));
            }
        });
        if (e.scores().isPresent()) {
            json.set("scores", scores(e.scores().get()));
        } else if (e.node().isPresent()) {
            json.put("scoring", "skipped: one node passed Filter");
        }
        return json;
    }

    private static ArrayNode scores(ScoreTable t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<Integer> order = new ArrayList<>();
        for (int n = 0; n < t.nodes().size(); n++) {
            order.add(n);
        }
        order.sort(Comparator.<Integer>comparingLong(n -> -t.totals()[n]).thenComparing(n -> t.nodes().get(n)));
        ArrayNode out = f.arrayNode();
        for (int n : order) {
            ObjectNode node = out.addObject().put("node", t.nodes().get(n)).put("total", t.totals()[n]);
            ArrayNode plugins = node.putArray("plugins");
            for (int p = 0; p < t.plugins().size(); p++) {
                plugins.addObject().put("plugin", t.plugins().get(p)).put("raw", t.raw()[p][n])
                        .put("normalized", t.normalized()[p][n]).put("weight", t.weights()[p])
                        .put("weighted", t.normalized()[p][n] * t.weights()[p]);
            }
        }
        return out;
    }

    private static String verdict(Status.Code code) {
        return switch (code) {
            case UNSCHEDULABLE -> "Unschedulable";
            case UNSCHEDULABLE_AND_UNRESOLVABLE -> "UnschedulableAndUnresolvable";
            case ERROR -> "Error";
            default -> code.name();
        };
    }
}
