package io.kube4j.controllers.nodeipam;

import io.fabric8.kubernetes.api.model.Node;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Kube-controller-manager's range allocator ({@code pkg/controller/nodeipam}): keyed by node, it
 * writes the lowest free subnet of the cluster CIDR to a Node without {@code spec.podCIDR}, and
 * frees it when the Node goes. Which subnets are taken is read again from every Node in the
 * cache on each pass, plus the ones this controller wrote that the cache has not shown yet, so
 * a restart or a second replica starts from the truth and two nodes never share a subnet.
 */
final class NodeIpamController implements Controller {
    private final NodeIpamConfig config;
    private final ApiClient client;
    private final Lister<Node> nodes;
    private final EventRecorder events;
    /** Subnets written to Nodes whose update the cache may not show yet; guarded by {@code this}. */
    private final Map<String, String> written = new HashMap<>();

    NodeIpamController(NodeIpamConfig config, ControllerContext context) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.nodes = context.lister(Node.class);
        this.events = context.eventRecorder();
    }

    @Override
    public String name() {
        return NodeIpamControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Node.class));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Node> node = nodes.get(request);
        if (node.isEmpty()) {
            synchronized (this) {
                written.remove(request.name());
            }
            return Result.done();
        }
        if (podCidr(node.get()).isPresent()) {
            synchronized (this) {
                written.remove(request.name());
            }
            return Result.done();
        }
        String cidr;
        synchronized (this) {
            String earlier = written.get(request.name());
            Optional<String> next = earlier != null ? Optional.of(earlier) : allocate();
            if (next.isEmpty()) {
                events.event(node.get(), EventType.WARNING, "CIDRNotAvailable",
                        "Node %s status is now: CIDRNotAvailable (all %d subnets of %s are taken)", request.name(),
                        new CidrSet(config.clusterCidr(), config.nodeCidrMaskSize()).size(), config.clusterCidr());
                return Result.done();
            }
            cidr = next.get();
            written.put(request.name(), cidr);
        }
        try {
            client.patch(Node.class, "", request.name(), PatchType.MERGE,
                    "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}", "");
        } catch (ApiException e) {
            synchronized (this) {
                written.remove(request.name());
            }
            if (e.isNotFound()) {
                return Result.done();
            }
            throw e;
        }
        events.event(node.get(), EventType.NORMAL, "CIDRAssigned", "Node %s was given pod CIDR %s", request.name(), cidr);
        return Result.done();
    }

    /** The lowest subnet that no Node in the cache and no pending write holds. Called with {@code this} held. */
    private Optional<String> allocate() {
        CidrSet set = new CidrSet(config.clusterCidr(), config.nodeCidrMaskSize());
        for (Node node : nodes.list()) {
            podCidr(node).ifPresent(set::occupy);
        }
        written.values().forEach(set::occupy);
        return set.allocateNext();
    }

    private static Optional<String> podCidr(Node node) {
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        return cidr == null || cidr.isBlank() ? Optional.empty() : Optional.of(cidr);
    }
}
