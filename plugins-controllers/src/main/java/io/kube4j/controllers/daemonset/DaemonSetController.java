package io.kube4j.controllers.daemonset;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.controllers.expectations.Expectations;
import io.kube4j.controllers.templates.PodTemplateHash;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Kube-controller-manager's DaemonSet controller ({@code pkg/controller/daemon}).
 *
 * <ul>
 *   <li>A node should run the daemon pod when the pod (the template plus the tolerations every daemon
 *       pod gets: not-ready and unreachable NoExecute, disk/memory/pid-pressure and unschedulable
 *       NoSchedule, network-unavailable for host-network pods) fits it: nodeName, nodeSelector,
 *       required node affinity, NoSchedule/NoExecute taints tolerated. Cordoned nodes and not-ready
 *       nodes still run daemon pods, as in Kubernetes.</li>
 *   <li>Missing pods are created as since Kubernetes 1.12: not bound by the controller but given a
 *       required node affinity {@code metadata.name In [node]} (replacing the template's matchFields)
 *       so that the default scheduler places them there. A node's pods are known by
 *       {@code spec.nodeName} or, before scheduling, by that affinity.</li>
 *   <li>Pods on nodes that should not run them, extra pods on a node (the oldest is kept) and failed
 *       pods (recreated on the next pass) are deleted. Expectations as for ReplicaSets.</li>
 *   <li>Status {@code desiredNumberScheduled}, {@code currentNumberScheduled},
 *       {@code numberMisscheduled}, {@code numberReady}, {@code numberAvailable},
 *       {@code numberUnavailable}, {@code updatedNumberScheduled} (pods labelled with the current
 *       {@code controller-revision-hash}: the hash of the template), {@code observedGeneration}.</li>
 *   <li>{@code updateStrategy}: {@code RollingUpdate} (the default) deletes the pods of an older
 *       template, those already unavailable first, then available ones while no more than
 *       {@code maxUnavailable} (default 1; a number or a percentage of the desired pods, rounded up)
 *       nodes are without an available daemon pod; the next passes create the new pods in their place.
 *       {@code OnDelete} replaces a pod only once someone deletes it. Not yet: {@code maxSurge} (taken as 0).
 *       Each template is a ControllerRevision ({@link DaemonSetHistory}), so that {@code kubectl rollout
 *       history} and {@code rollout undo} work. Not yet: {@code minReadySeconds}.</li>
 * </ul>
 */
final class DaemonSetController implements Controller {
    static final String GENERATION_LABEL = "pod-template-generation";
    static final String HASH_LABEL = "controller-revision-hash";
    private static final String KIND = "DaemonSet";
    private static final String API_VERSION = "apps/v1";
    private static final int BURST = 250;

    private final ApiClient client;
    private final Lister<DaemonSet> daemonSets;
    private final Lister<Pod> pods;
    private final Lister<Node> nodes;
    private final EventRecorder events;
    private final Expectations expectations;
    private final DaemonSetHistory history;

    DaemonSetController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.daemonSets = context.lister(DaemonSet.class);
        this.pods = context.lister(Pod.class);
        this.nodes = context.lister(Node.class);
        this.history = new DaemonSetHistory(client, context.lister(ControllerRevision.class));
        this.events = context.eventRecorder();
        this.expectations = new Expectations(context.clock());
        context.informers().informerFor(Pod.class).addEventHandler(expectations.podHandler(this::controllerOf));
    }

    @Override
    public String name() {
        return DaemonSetControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(DaemonSet.class), WatchSource.owns(Pod.class), WatchSource.owns(ControllerRevision.class),
                WatchSource.watches(Node.class, node -> daemonSets.list().stream().map(Request::of).toList()));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<DaemonSet> cached = daemonSets.get(request);
        if (cached.isEmpty()) {
            expectations.forget(request);
            return Result.done();
        }
        DaemonSet ds = cached.get();
        String uid = ds.getMetadata().getUid();
        Map<String, List<Pod>> byNode = new HashMap<>();
        List<Pod> failed = new ArrayList<>();
        for (Pod pod : pods.list(request.namespace())) {
            Optional<OwnerReference> ref = controllerRef(pod);
            if (ref.isEmpty() || !uid.equals(ref.get().getUid()) || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if ("Failed".equals(phase(pod))) {
                failed.add(pod);
                continue;
            }
            targetNode(pod).ifPresent(node -> byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod));
        }
        List<Node> allNodes = nodes.list();
        List<String> toCreate = new ArrayList<>();
        List<Pod> toDelete = new ArrayList<>(failed);
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int updated = 0;
        String hash = PodTemplateHash.of(ds.getSpec().getTemplate(), collisionCount(ds));
        int unavailable = 0;
        List<Pod> outdated = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (Node node : allNodes) {
            String name = node.getMetadata().getName();
            known.add(name);
            List<Pod> onNode = byNode.getOrDefault(name, List.of());
            boolean shouldRun = NodeEligibility.fits(podSpec(ds, name), node);
            if (shouldRun) {
                desired++;
                if (onNode.isEmpty()) {
                    toCreate.add(name);
                    unavailable++;
                } else {
                    current++;
                    List<Pod> sorted = onNode.stream().sorted(Comparator.comparing(
                            (Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))).toList();
                    Pod kept = sorted.get(0);
                    toDelete.addAll(sorted.subList(1, sorted.size()));
                    if (isReady(kept)) {
                        ready++;
                    } else {
                        unavailable++;
                    }
                    if (kept.getMetadata().getLabels() != null && hash.equals(kept.getMetadata().getLabels().get(HASH_LABEL))) {
                        updated++;
                    } else {
                        outdated.add(kept);
                    }
                }
            } else if (!onNode.isEmpty()) {
                misscheduled++;
                toDelete.addAll(onNode);
            }
        }
        // Pods aimed at nodes that no longer exist.
        byNode.forEach((node, list) -> {
            if (!known.contains(node)) {
                toDelete.addAll(list);
            }
        });
        toDelete.addAll(rollingUpdate(ds, desired, unavailable, outdated));
        if (ds.getMetadata().getDeletionTimestamp() == null) {
            history.sync(ds, hash);
            if (expectations.satisfied(request)) {
                manage(request, ds, toCreate, toDelete, hash);
                Set<String> liveHashes = new java.util.HashSet<>();
                byNode.values().forEach(list -> list.forEach(p -> liveHashes.add(hashOf(p))));
                history.truncate(ds, hash, liveHashes);
            }
        }
        DaemonSetStatus old = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
        DaemonSetStatus status = new DaemonSetStatusBuilder(old).withDesiredNumberScheduled(desired)
                .withCurrentNumberScheduled(current).withNumberMisscheduled(misscheduled).withNumberReady(ready)
                .withNumberAvailable(ready == 0 ? null : ready).withNumberUnavailable(desired - ready == 0 ? null : desired - ready)
                .withUpdatedNumberScheduled(updated == 0 ? null : updated).withObservedGeneration(ds.getMetadata().getGeneration()).build();
        if (!status.equals(old)) {
            try {
                client.updateStatus(new DaemonSetBuilder(ds).withStatus(status).build());
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return Result.done();
    }

    /**
     * The outdated pods a RollingUpdate deletes now: every unavailable one, and available ones while
     * fewer than maxUnavailable nodes lack an available daemon pod. None under OnDelete.
     */
    static List<Pod> rollingUpdate(DaemonSet ds, int desired, int unavailable, List<Pod> outdated) {
        var strategy = ds.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return List.of();
        }
        io.fabric8.kubernetes.api.model.IntOrString max = strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getMaxUnavailable() == null ? new io.fabric8.kubernetes.api.model.IntOrString(1)
                : strategy.getRollingUpdate().getMaxUnavailable();
        int maxUnavailable = max.getIntVal() != null ? max.getIntVal()
                : (int) Math.ceil(Integer.parseInt(max.getStrVal().replace("%", "").strip()) * desired / 100.0);
        List<Pod> deleting = new ArrayList<>();
        int budget = maxUnavailable - unavailable;
        for (Pod pod : outdated) {
            if (!isReady(pod)) {
                deleting.add(pod);
            }
        }
        for (Pod pod : outdated) {
            if (isReady(pod) && budget > 0) {
                deleting.add(pod);
                budget--;
            }
        }
        return deleting;
    }

    private static String hashOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(HASH_LABEL);
    }

    private static int collisionCount(DaemonSet ds) {
        return ds.getStatus() == null || ds.getStatus().getCollisionCount() == null ? 0 : ds.getStatus().getCollisionCount();
    }

    private void manage(Request key, DaemonSet ds, List<String> toCreate, List<Pod> toDelete, String hash) {
        List<String> creating = toCreate.subList(0, Math.min(toCreate.size(), BURST));
        Set<String> uids = new LinkedHashSet<>();
        toDelete.forEach(p -> uids.add(p.getMetadata().getUid()));
        if (creating.isEmpty() && uids.isEmpty()) {
            return;
        }
        expectations.expect(key, creating.size(), uids);
        ApiException failure = null;
        for (int i = 0; i < creating.size(); i++) {
            try {
                Pod pod = client.create(newPod(ds, creating.get(i), hash));
                events.event(ds, EventType.NORMAL, "SuccessfulCreate", "Created pod: %s", pod.getMetadata().getName());
            } catch (ApiException e) {
                events.event(ds, EventType.WARNING, "FailedCreate", "Error creating: %s", e.getMessage());
                for (int j = i; j < creating.size(); j++) {
                    expectations.creationObserved(key);
                }
                failure = e;
                break;
            }
        }
        for (Pod pod : toDelete) {
            try {
                client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), DeleteOptions.DEFAULT);
                events.event(ds, EventType.NORMAL, "SuccessfulDelete", "Deleted pod: %s", pod.getMetadata().getName());
            } catch (ApiException e) {
                expectations.deletionObserved(key, pod.getMetadata().getUid());
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The spec a daemon pod for {@code nodeName} gets: the template's, plus tolerations and node affinity. */
    private static PodSpec podSpec(DaemonSet ds, String nodeName) {
        PodSpec spec = new PodSpecBuilder(ds.getSpec().getTemplate().getSpec()).build();
        List<Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        addToleration(tolerations, "node.kubernetes.io/not-ready", "NoExecute");
        addToleration(tolerations, "node.kubernetes.io/unreachable", "NoExecute");
        addToleration(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
        addToleration(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
        addToleration(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
        addToleration(tolerations, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            addToleration(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
        spec.setTolerations(tolerations);
        NodeSelectorRequirement onNode = new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
                .withValues(nodeName).build();
        NodeAffinity affinity = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
                ? new NodeAffinity() : spec.getAffinity().getNodeAffinity();
        List<NodeSelectorTerm> terms = affinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null
                || affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms() == null
                || affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().isEmpty()
                ? List.of(new NodeSelectorTerm()) : affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        List<NodeSelectorTerm> replaced = terms.stream()
                .map(t -> new NodeSelectorTermBuilder(t).withMatchFields(onNode).build()).toList();
        spec.setAffinity(new AffinityBuilder(spec.getAffinity() == null ? new io.fabric8.kubernetes.api.model.Affinity() : spec.getAffinity())
                .withNewNodeAffinityLike(affinity).withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(replaced).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        return spec;
    }

    private static void addToleration(List<Toleration> tolerations, String key, String effect) {
        if (tolerations.stream().noneMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))) {
            tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build());
        }
    }

    private static Pod newPod(DaemonSet ds, String nodeName, String hash) {
        var meta = ds.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = new HashMap<>(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(GENERATION_LABEL, String.valueOf(ds.getMetadata().getGeneration()));
        labels.put(HASH_LABEL, hash);
        Map<String, String> annotations = meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        return new PodBuilder().withNewMetadata().withNamespace(ds.getMetadata().getNamespace())
                .withGenerateName(ds.getMetadata().getName() + "-").withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : new HashMap<>(annotations)).withOwnerReferences(ownerRef(ds))
                .endMetadata().withSpec(podSpec(ds, nodeName)).build();
    }

    /** The node a daemon pod is on or is meant for: its nodeName, else its {@code metadata.name} affinity. */
    private static Optional<String> targetNode(Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return Optional.of(pod.getSpec().getNodeName());
        }
        if (pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null
                || pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return Optional.empty();
        }
        for (NodeSelectorTerm term : pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()) {
            for (NodeSelectorRequirement r : term.getMatchFields() == null ? List.<NodeSelectorRequirement>of() : term.getMatchFields()) {
                if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null && r.getValues().size() == 1) {
                    return Optional.of(r.getValues().get(0));
                }
            }
        }
        return Optional.empty();
    }

    private static OwnerReference ownerRef(DaemonSet ds) {
        return new OwnerReferenceBuilder().withApiVersion(API_VERSION).withKind(KIND).withName(ds.getMetadata().getName())
                .withUid(ds.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    private Optional<Request> controllerOf(Pod pod) {
        return controllerRef(pod).filter(r -> KIND.equals(r.getKind()) && r.getApiVersion() != null
                && r.getApiVersion().startsWith("apps/")).map(r -> new Request(pod.getMetadata().getNamespace(), r.getName()));
    }

    private static Optional<OwnerReference> controllerRef(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
