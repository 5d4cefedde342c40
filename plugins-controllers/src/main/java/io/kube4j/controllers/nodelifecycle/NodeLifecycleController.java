package io.kube4j.controllers.nodelifecycle;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kube-controller-manager's node lifecycle controller ({@code pkg/controller/nodelifecycle}), keyed by
 * Node. Like upstream it times a node's health by when it itself last saw the node's Lease
 * ({@code kube-node-lease/<node>}) renewed or its Ready heartbeat change, not by the timestamps in
 * them, so a skewed kubelet clock does no harm and a new leader gives every node a fresh grace period.
 * Past the grace period the kubelet's conditions become {@code Unknown}. The node's condition taints
 * follow its conditions; the NoExecute ones are acted on by the {@code taint-eviction-controller}.
 * Pods of a node that is not Ready get their Ready condition set to False.
 */
final class NodeLifecycleController implements Controller {
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String POD_NODE_INDEX = "nodelifecycle.spec.nodeName";

    private final ApiClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration monitorGracePeriod;
    private final Duration startupGracePeriod;
    private final Lister<Node> nodes;
    private final Lister<Lease> leases;
    private final Lister<Pod> pods;
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    /**
     * What was last seen of a node's liveness, and when this controller saw it change.
     *
     * @param leaseRenewTime the Lease's {@code renewTime}, "" if none
     * @param heartbeat      the Ready condition's {@code lastHeartbeatTime} and status, "" if none
     * @param probed         when either last changed, by this controller's clock
     */
    private record Health(String leaseRenewTime, String heartbeat, Instant probed) {
    }

    NodeLifecycleController(NodeLifecycleConfig config, ControllerContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.events = context.eventRecorder();
        this.clock = context.clock();
        this.monitorGracePeriod = config.monitorGracePeriod();
        this.startupGracePeriod = config.startupGracePeriod();
        this.nodes = context.lister(Node.class);
        this.leases = context.lister(Lease.class);
        context.informers().informerFor(Pod.class).addIndexer(POD_NODE_INDEX, p -> p.getSpec() == null
                || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()
                ? List.of() : List.of(p.getSpec().getNodeName()));
        this.pods = context.lister(Pod.class);
    }

    @Override
    public String name() {
        return NodeLifecycleControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Node.class),
                WatchSource.watches(Lease.class, lease -> LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())
                        ? List.of(new Request("", lease.getMetadata().getName())) : List.of()),
                // A pod that turns Ready on a node that is not: mark it again.
                WatchSource.watches(Pod.class, pod -> {
                    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                    if (node == null || node.isEmpty() || !podReady(pod)) {
                        return List.of();
                    }
                    return nodes.get("", node).filter(n -> !NodeConditions.TRUE.equals(NodeConditions.readyStatus(n)))
                            .map(n -> List.of(new Request("", node))).orElse(List.of());
                }));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Node> cached = nodes.get(request);
        if (cached.isEmpty()) {
            health.remove(request.name());
            return Result.done();
        }
        Node node = cached.get();
        Instant now = clock.instant();
        Health h = observe(node, now);
        boolean everReady = NodeConditions.condition(node, NodeConditions.READY).isPresent();
        Instant deadline = h.probed().plus(everReady ? monitorGracePeriod : startupGracePeriod);
        String stamp = timestamp(now);
        if (!now.isBefore(deadline)) {
            Optional<List<NodeCondition>> silenced = NodeConditions.silenced(node, stamp);
            if (silenced.isPresent()) {
                boolean wasReady = NodeConditions.TRUE.equals(NodeConditions.readyStatus(node));
                Node copy = new NodeBuilder(node).build();
                copy.getStatus().setConditions(silenced.get());
                node = client.updateStatus(copy);
                // The write changed no heartbeat; keep the probe as it was.
                health.put(request.name(), new Health(h.leaseRenewTime(), heartbeat(node), h.probed()));
                if (wasReady) {
                    events.event(node, EventType.NORMAL, "NodeNotReady", "Node %s status is now: NodeNotReady",
                            node.getMetadata().getName());
                }
            }
        }
        Optional<List<Taint>> taints = NodeConditions.taints(node, stamp);
        if (taints.isPresent()) {
            Node copy = new NodeBuilder(node).build();
            if (copy.getSpec() == null) {
                copy.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
            }
            copy.getSpec().setTaints(taints.get());
            node = client.update(copy);
        }
        if (!NodeConditions.TRUE.equals(NodeConditions.readyStatus(node))) {
            markPodsNotReady(node, stamp);
            return Result.done();
        }
        return now.isBefore(deadline) ? Result.requeueAfter(Duration.between(now, deadline).plusMillis(50)) : Result.done();
    }

    /** Updates what was last seen of the node, restarting its grace period when its Lease or heartbeat moved. */
    private Health observe(Node node, Instant now) {
        String name = node.getMetadata().getName();
        String renew = leases.get(LEASE_NAMESPACE, name).map(l -> l.getSpec() == null ? null : l.getSpec().getRenewTime())
                .map(Object::toString).orElse("");
        String beat = heartbeat(node);
        return health.compute(name, (k, old) -> old == null || !old.leaseRenewTime().equals(renew)
                || !old.heartbeat().equals(beat) ? new Health(renew, beat, now) : old);
    }

    private static String heartbeat(Node node) {
        return NodeConditions.condition(node, NodeConditions.READY)
                .map(c -> Objects.toString(c.getLastHeartbeatTime(), "") + "/" + c.getStatus()).orElse("");
    }

    /** Upstream's MarkPodsNotReady: every pod bound to the node that says it is Ready is told it is not. */
    private void markPodsNotReady(Node node, String now) {
        for (Pod pod : pods.byIndex(POD_NODE_INDEX, node.getMetadata().getName())) {
            if (!podReady(pod)) {
                continue;
            }
            Pod copy = new PodBuilder(pod).build();
            for (PodCondition c : copy.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) {
                    c.setStatus(NodeConditions.FALSE);
                    c.setLastTransitionTime(now);
                }
            }
            try {
                client.updateStatus(copy);
                events.event(pod, EventType.WARNING, "NodeNotReady", "Node is not ready");
            } catch (ApiException e) {
                // Gone meanwhile, or changed (its own event brings it back here); anything else is retried.
                if (!e.isNotFound() && !e.isConflict()) {
                    throw e;
                }
            }
        }
    }

    private static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && NodeConditions.TRUE.equals(c.getStatus()));
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
