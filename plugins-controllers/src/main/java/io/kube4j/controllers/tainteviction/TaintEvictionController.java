package io.kube4j.controllers.tainteviction;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kube-controller-manager's taint eviction controller ({@code pkg/controller/tainteviction}), keyed by
 * Pod. A pod bound to a node with NoExecute taints is deleted at once if it does not tolerate one of
 * them, after the least {@code tolerationSeconds} of its matching tolerations if they have any, and
 * never if they tolerate forever. The wait counts from the earliest {@code timeAdded} of the taints
 * (the node lifecycle controller sets it), so a new leader keeps the deadline. Before deleting it
 * adds the {@code DisruptionTarget} condition and records {@code TaintManagerEviction}, as upstream.
 */
final class TaintEvictionController implements Controller {
    static final String POD_NODE_INDEX = "tainteviction.spec.nodeName";

    private final ApiClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final Lister<Pod> pods;
    private final Lister<Node> nodes;
    /** When a pod was first seen to need eviction under taints without {@code timeAdded}, by uid. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    TaintEvictionController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.events = context.eventRecorder();
        this.clock = context.clock();
        context.informers().informerFor(Pod.class).addIndexer(POD_NODE_INDEX, p -> p.getSpec() == null
                || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()
                ? List.of() : List.of(p.getSpec().getNodeName()));
        this.pods = context.lister(Pod.class);
        this.nodes = context.lister(Node.class);
    }

    @Override
    public String name() {
        return TaintEvictionControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Pod.class), WatchSource.watches(Node.class, node -> noExecuteTaints(node).isEmpty()
                ? List.of() : pods.byIndex(POD_NODE_INDEX, node.getMetadata().getName()).stream().map(Request::of).toList()));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Pod> cached = pods.get(request);
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null || cached.get().getSpec() == null
                || cached.get().getSpec().getNodeName() == null) {
            cached.ifPresent(p -> firstSeen.remove(p.getMetadata().getUid()));
            return Result.done();
        }
        Pod pod = cached.get();
        String uid = pod.getMetadata().getUid();
        List<Taint> taints = nodes.get("", pod.getSpec().getNodeName()).map(TaintEvictionController::noExecuteTaints)
                .orElse(List.of());
        Optional<Duration> delay = taints.isEmpty() ? Optional.empty() : NoExecuteTolerations.evictionDelay(
                pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations(), taints);
        if (delay.isEmpty()) {
            firstSeen.remove(uid);
            return Result.done();
        }
        Instant now = clock.instant();
        Instant since = taints.stream().map(TaintEvictionController::timeAdded).flatMap(Optional::stream).min(Instant::compareTo)
                .orElseGet(() -> firstSeen.computeIfAbsent(uid, u -> now));
        Instant deadline = since.plus(delay.get());
        if (!delay.get().isZero() && now.isBefore(deadline)) {
            return Result.requeueAfter(Duration.between(now, deadline).plusMillis(50));
        }
        evict(pod, now);
        firstSeen.remove(uid);
        return Result.done();
    }

    private void evict(Pod pod, Instant now) {
        events.event(pod, EventType.NORMAL, "TaintManagerEviction", "Marking for deletion Pod %s/%s",
                pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        Pod current = pod;
        for (int attempt = 0; attempt < 3 && current != null; attempt++) {
            try {
                client.updateStatus(withDisruptionTarget(current, now));
                break;
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return;
                }
                if (!e.isConflict()) {
                    throw e;
                }
                // The cache was behind: the condition is worth a live read, not worth delaying the deletion for.
                current = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                        .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid())).orElse(null);
            }
        }
        if (current == null) {
            return;
        }
        try {
            client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), DeleteOptions.DEFAULT);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static Pod withDisruptionTarget(Pod pod, Instant now) {
        Pod copy = new PodBuilder(pod).build();
        if (copy.getStatus() == null) {
            copy.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        }
        List<PodCondition> conditions = new ArrayList<>(copy.getStatus().getConditions() == null
                ? List.of() : copy.getStatus().getConditions());
        conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
        conditions.add(new PodCondition(null, now.truncatedTo(ChronoUnit.SECONDS).toString(),
                "Taint manager: deleting due to NoExecute taint", null, "DeletionByTaintManager", "True", "DisruptionTarget"));
        copy.getStatus().setConditions(conditions);
        return copy;
    }

    static List<Taint> noExecuteTaints(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        return node.getSpec().getTaints().stream().filter(t -> NoExecuteTolerations.NO_EXECUTE.equals(t.getEffect())).toList();
    }

    private static Optional<Instant> timeAdded(Taint taint) {
        if (taint.getTimeAdded() == null || taint.getTimeAdded().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(taint.getTimeAdded()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
