package io.kube4j.controllers.podgc;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kube-controller-manager's pod garbage collector ({@code pkg/controller/podgc}). One key, the whole
 * job, run on the events that may call for it and every {@code gcCheckPeriod}:
 * <ul>
 *   <li>terminated pods (Succeeded, Failed) beyond {@code terminatedPodGCThreshold} are deleted,
 *       evicted ones first, then the oldest;</li>
 *   <li>pods bound to a node that has been missing from the cache for {@code orphanQuarantine}, and is
 *       still missing on a live read, are marked Failed with the {@code DisruptionTarget} condition
 *       ({@code DeletionByPodGC}) and deleted;</li>
 *   <li>terminating pods that were never scheduled are deleted.</li>
 * </ul>
 * Every deletion is forced (grace period 0), as upstream.
 */
final class PodGcController implements Controller {
    private static final Logger log = LoggerFactory.getLogger(PodGcController.class);
    static final Request KEY = new Request("", "podgc");
    private static final List<Request> KEYS = List.of(KEY);

    private final ApiClient client;
    private final Clock clock;
    private final int threshold;
    private final Duration quarantine;
    private final Duration checkPeriod;
    private final Lister<Pod> pods;
    private final Lister<Node> nodes;
    /** When each missing node was first seen missing. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    PodGcController(PodGcConfig config, ControllerContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.clock = context.clock();
        this.threshold = config.terminatedPodGCThreshold();
        this.quarantine = config.quarantine();
        this.checkPeriod = config.checkPeriod();
        this.pods = context.lister(Pod.class);
        this.nodes = context.lister(Node.class);
    }

    @Override
    public String name() {
        return PodGcControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        // A node's updates (its status, every few seconds on a big cluster) change nothing here: only a node gone
        // (no longer in the cache when its deletion is handled) may leave orphans.
        return List.of(WatchSource.watches(Node.class, node -> nodes.get("", node.getMetadata().getName()).isEmpty()
                ? KEYS : List.of()), WatchSource.watches(Pod.class, pod -> {
            String node = nodeName(pod);
            boolean relevant = (threshold > 0 && terminated(pod))
                    || (node.isEmpty() && pod.getMetadata().getDeletionTimestamp() != null)
                    || (!node.isEmpty() && nodes.get("", node).isEmpty());
            return relevant ? KEYS : List.of();
        }));
    }

    @Override
    public Result reconcile(Request request) {
        Instant now = clock.instant();
        List<Pod> all = pods.list();
        for (Pod pod : terminatedOverThreshold(all, threshold)) {
            forceDelete(pod, "terminated pods over the threshold of " + threshold);
        }
        Duration next = checkPeriod;
        Map<String, List<Pod>> orphans = orphans(all, nodes.list());
        missingSince.keySet().retainAll(orphans.keySet());
        for (Map.Entry<String, List<Pod>> e : orphans.entrySet()) {
            Instant since = missingSince.computeIfAbsent(e.getKey(), n -> now);
            Instant due = since.plus(quarantine);
            if (now.isBefore(due)) {
                Duration wait = Duration.between(now, due).plusMillis(50);
                next = wait.compareTo(next) < 0 ? wait : next;
                continue;
            }
            if (client.get(Node.class, "", e.getKey()).isPresent()) {
                missingSince.remove(e.getKey());
                continue;
            }
            for (Pod pod : e.getValue()) {
                markFailed(pod, now);
                forceDelete(pod, "its node " + e.getKey() + " no longer exists");
            }
            missingSince.remove(e.getKey());
        }
        for (Pod pod : all) {
            if (nodeName(pod).isEmpty() && pod.getMetadata().getDeletionTimestamp() != null) {
                forceDelete(pod, "it is terminating and was never scheduled");
            }
        }
        return Result.requeueAfter(next);
    }

    /**
     * The terminated pods to delete so that at most {@code threshold} remain: evicted ones first, then
     * by creation time, oldest first; none when {@code threshold <= 0}.
     */
    static List<Pod> terminatedOverThreshold(List<Pod> pods, int threshold) {
        if (threshold <= 0) {
            return List.of();
        }
        List<Pod> terminated = new ArrayList<>(pods.stream().filter(PodGcController::terminated).toList());
        int excess = terminated.size() - threshold;
        if (excess <= 0) {
            return List.of();
        }
        terminated.sort(Comparator.comparing((Pod p) -> !evicted(p))
                .thenComparing(p -> creation(p))
                .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
        return List.copyOf(terminated.subList(0, excess));
    }

    /** The pods bound to nodes that are not among {@code nodes}, by node name. */
    static Map<String, List<Pod>> orphans(List<Pod> pods, List<Node> nodes) {
        Set<String> existing = new HashSet<>();
        nodes.forEach(n -> existing.add(n.getMetadata().getName()));
        Map<String, List<Pod>> result = new LinkedHashMap<>();
        for (Pod pod : pods) {
            String node = nodeName(pod);
            if (!node.isEmpty() && !existing.contains(node)) {
                result.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            }
        }
        return result;
    }

    private void markFailed(Pod pod, Instant now) {
        Pod current = pod;
        for (int attempt = 0; attempt < 3 && current != null && !terminated(current); attempt++) {
            try {
                client.updateStatus(failed(current, now));
                return;
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return;
                }
                if (!e.isConflict()) {
                    throw e;
                }
                // The mark explains the deletion: worth a live read on a stale cache, not worth stopping the deletion.
                current = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                        .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid())).orElse(null);
            }
        }
    }

    private static Pod failed(Pod pod, Instant now) {
        Pod copy = new PodBuilder(pod).build();
        if (copy.getStatus() == null) {
            copy.setStatus(new PodStatus());
        }
        List<PodCondition> conditions = new ArrayList<>(copy.getStatus().getConditions() == null ? List.of()
                : copy.getStatus().getConditions());
        conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
        conditions.add(new PodCondition(null, now.truncatedTo(ChronoUnit.SECONDS).toString(), "PodGC: node no longer exists",
                null, "DeletionByPodGC", "True", "DisruptionTarget"));
        copy.getStatus().setConditions(conditions);
        copy.getStatus().setPhase("Failed");
        return copy;
    }

    private void forceDelete(Pod pod, String why) {
        log.info("podgc: deleting pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), why);
        try {
            client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), DeleteOptions.gracePeriod(0));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    static boolean terminated(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean evicted(Pod pod) {
        return "Failed".equals(pod.getStatus().getPhase()) && "Evicted".equals(pod.getStatus().getReason());
    }

    private static String creation(Pod pod) {
        String t = pod.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }

    private static String nodeName(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }
}
