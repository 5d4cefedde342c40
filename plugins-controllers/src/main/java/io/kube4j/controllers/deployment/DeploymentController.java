package io.kube4j.controllers.deployment;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
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
import io.kube4j.controllers.templates.PodTemplateHash;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kube-controller-manager's Deployment controller ({@code pkg/controller/deployment}).
 *
 * <p>Each distinct pod template gets a ReplicaSet {@code <deployment>-<pod-template-hash>} whose
 * selector, template labels and name carry the hash, and a revision
 * ({@code deployment.kubernetes.io/revision}, one more than the newest old one; the Deployment carries
 * its new ReplicaSet's). Then:
 * <ul>
 *   <li>RollingUpdate: scale the new ReplicaSet up while all ReplicaSets' replicas stay within
 *       {@code replicas + maxSurge}; scale old ones down, first their unavailable pods, then as long as
 *       {@code replicas - maxUnavailable} pods stay available (surge rounds up, unavailable down; both
 *       0 means 1 unavailable).</li>
 *   <li>Recreate: scale every old ReplicaSet to 0, wait until none of their pods is active, then
 *       scale up the new one.</li>
 *   <li>A paused Deployment only reports; old ReplicaSets without replicas beyond
 *       {@code revisionHistoryLimit} are deleted.</li>
 *   <li>Status: replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
 *       observedGeneration, and the conditions Available and Progressing that
 *       {@code kubectl rollout status} reads. Events ScalingReplicaSet.</li>
 *   <li>progressDeadlineSeconds (600 when unset): a rollout in progress whose pods make no progress
 *       for that long gets Progressing False, ProgressDeadlineExceeded, and a warning event; the
 *       Deployment is requeued for when its deadline passes.</li>
 * </ul>
 * Not yet: proportional scaling of a rollout in progress. {@code rollout undo} needs nothing here:
 * kubectl writes the old template back itself.
 */
final class DeploymentController implements Controller {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String HASH_LABEL = "pod-template-hash";

    private final ApiClient client;
    private final Lister<Deployment> deployments;
    private final Lister<ReplicaSet> replicaSets;
    private final Lister<Pod> pods;
    private final EventRecorder events;
    private final Clock clock;

    DeploymentController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.deployments = context.lister(Deployment.class);
        this.replicaSets = context.lister(ReplicaSet.class);
        this.pods = context.lister(Pod.class);
        this.events = context.eventRecorder();
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return DeploymentControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Deployment.class), WatchSource.owns(ReplicaSet.class),
                WatchSource.watches(Pod.class, this::deploymentOfPod));
    }

    /** A pod's Deployment through its ReplicaSet: Recreate waits for old pods to go. */
    private List<Request> deploymentOfPod(Pod pod) {
        return controllerRef(pod).filter(r -> "ReplicaSet".equals(r.getKind()))
                .flatMap(r -> replicaSets.get(namespace(pod), r.getName()))
                .flatMap(DeploymentController::controllerRef).filter(r -> "Deployment".equals(r.getKind()))
                .map(r -> List.of(new Request(namespace(pod), r.getName()))).orElse(List.of());
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Deployment> cached = deployments.get(request);
        if (cached.isEmpty()) {
            return Result.done();
        }
        Deployment d = cached.get();
        List<ReplicaSet> owned = ownedReplicaSets(d);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            updateStatus(d, owned, findNew(d, owned));
            return Result.done();
        }
        Optional<ReplicaSet> found = findNew(d, owned);
        List<ReplicaSet> old = owned.stream().filter(rs -> found.isEmpty() || !sameRs(rs, found.get())).toList();
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            // Paused: no rollout, but a changed replica count still reaches the ReplicaSets.
            scaleAll(d, found, old);
            updateStatus(d, ownedReplicaSets(d), found);
            return Result.done();
        }
        if (isScalingEvent(d, found, old)) {
            scaleAll(d, found, old);
            return updateStatus(d, ownedReplicaSets(d), found).map(Result::requeueAfter).orElse(Result.done());
        }
        String strategy = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                ? "RollingUpdate" : d.getSpec().getStrategy().getType();
        Optional<ReplicaSet> current = found.map(rs -> newestRevision(rs, old));
        Optional<ReplicaSet> newRs = strategy.equals("Recreate") ? recreate(d, current, old) : rollingUpdate(d, current, old);
        cleanup(d, old);
        return updateStatus(d, ownedReplicaSets(d), newRs)
                .map(Result::requeueAfter).orElse(Result.done());
    }

    // ---- ReplicaSets

    /** The ReplicaSets this Deployment controls; matching orphans are adopted (after a live check of the Deployment). */
    private List<ReplicaSet> ownedReplicaSets(Deployment d) {
        String uid = d.getMetadata().getUid();
        List<ReplicaSet> owned = new ArrayList<>();
        boolean checked = false;
        for (ReplicaSet rs : replicaSets.list(d.getMetadata().getNamespace())) {
            Optional<OwnerReference> ref = controllerRef(rs);
            if (ref.isPresent()) {
                if (uid.equals(ref.get().getUid())) {
                    owned.add(rs);
                }
            } else if (d.getMetadata().getDeletionTimestamp() == null && rs.getMetadata().getDeletionTimestamp() == null
                    && matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
                if (!checked) {
                    Optional<Deployment> live = client.get(Deployment.class, d.getMetadata().getNamespace(), d.getMetadata().getName());
                    if (live.isEmpty() || !uid.equals(live.get().getMetadata().getUid())
                            || live.get().getMetadata().getDeletionTimestamp() != null) {
                        return owned;
                    }
                    checked = true;
                }
                ReplicaSet adopted = new ReplicaSetBuilder(rs).editMetadata().addToOwnerReferences(ownerRef(d)).endMetadata().build();
                owned.add(client.update(adopted));
            }
        }
        return owned;
    }

    /** The ReplicaSet whose template is the Deployment's (ignoring the hash label), oldest first if several. */
    private Optional<ReplicaSet> findNew(Deployment d, List<ReplicaSet> owned) {
        PodTemplateSpec wanted = withoutHash(d.getSpec().getTemplate());
        return owned.stream().filter(rs -> withoutHash(rs.getSpec().getTemplate()).equals(wanted))
                .min(Comparator.comparing((ReplicaSet rs) -> Objects.toString(rs.getMetadata().getCreationTimestamp(), ""))
                        .thenComparing(rs -> rs.getMetadata().getName()));
    }

    private static PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
            labels.remove(HASH_LABEL);
            copy.getMetadata().setLabels(labels);
        }
        return copy;
    }

    private ReplicaSet createNew(Deployment d, List<ReplicaSet> old, int replicas) {
        int collisions = d.getStatus() == null || d.getStatus().getCollisionCount() == null ? 0 : d.getStatus().getCollisionCount();
        String hash = templateHash(d.getSpec().getTemplate(), collisions);
        long revision = old.stream().mapToLong(DeploymentController::revision).max().orElse(0) + 1;
        PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata()
                .addToLabels(HASH_LABEL, hash).endMetadata().build();
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector()).addToMatchLabels(HASH_LABEL, hash).build();
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName() + "-" + hash).withLabels(labels)
                .addToAnnotations(REVISION, Long.toString(revision))
                .addToAnnotations(DESIRED_REPLICAS, Integer.toString(replicas(d)))
                .addToAnnotations(MAX_REPLICAS, Integer.toString(replicas(d) + maxSurge(d)))
                .withOwnerReferences(ownerRef(d)).endMetadata()
                .withNewSpec().withReplicas(replicas).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec().build();
        try {
            ReplicaSet created = client.create(rs);
            events.event(d, EventType.NORMAL, "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d",
                    created.getMetadata().getName(), replicas);
            return created;
        } catch (ApiException e) {
            if (!e.isConflict()) {
                throw e;
            }
            // A ReplicaSet of that name exists: ours with the same template (the cache is behind), or a hash collision.
            Optional<ReplicaSet> existing = client.get(ReplicaSet.class, d.getMetadata().getNamespace(), rs.getMetadata().getName());
            if (existing.isPresent() && controllerRef(existing.get()).map(r -> r.getUid().equals(d.getMetadata().getUid())).orElse(false)
                    && withoutHash(existing.get().getSpec().getTemplate()).equals(withoutHash(d.getSpec().getTemplate()))) {
                return existing.get();
            }
            Deployment bumped = new DeploymentBuilder(d).editOrNewStatus().withCollisionCount(collisions + 1).endStatus().build();
            client.updateStatus(bumped);
            throw e;
        }
    }

    /**
     * An old template that becomes current again ({@code kubectl rollout undo}) takes the next revision,
     * as kube's SetNewReplicaSetAnnotations.
     */
    private ReplicaSet newestRevision(ReplicaSet rs, List<ReplicaSet> old) {
        long maxOld = old.stream().mapToLong(DeploymentController::revision).max().orElse(0);
        if (revision(rs) > maxOld) {
            return rs;
        }
        Map<String, String> annotations = rs.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(rs.getMetadata().getAnnotations());
        annotations.put(REVISION, Long.toString(maxOld + 1));
        return client.update(new ReplicaSetBuilder(rs).editMetadata().withAnnotations(annotations).endMetadata().build());
    }

    /** Sets a ReplicaSet's replicas (and the annotations recording the Deployment's), with an event when it changes. */
    private ReplicaSet scale(Deployment d, ReplicaSet rs, int replicas) {
        int current = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
        Map<String, String> annotations = rs.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(rs.getMetadata().getAnnotations());
        boolean annotationsChanged = !Integer.toString(replicas(d)).equals(annotations.get(DESIRED_REPLICAS))
                || !Integer.toString(replicas(d) + maxSurge(d)).equals(annotations.get(MAX_REPLICAS));
        if (current == replicas && !annotationsChanged) {
            return rs;
        }
        annotations.put(DESIRED_REPLICAS, Integer.toString(replicas(d)));
        annotations.put(MAX_REPLICAS, Integer.toString(replicas(d) + maxSurge(d)));
        ReplicaSet updated = client.update(new ReplicaSetBuilder(rs).editMetadata().withAnnotations(annotations).endMetadata()
                .editSpec().withReplicas(replicas).endSpec().build());
        if (current != replicas) {
            events.event(d, EventType.NORMAL, "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d",
                    replicas > current ? "up" : "down", rs.getMetadata().getName(), current, replicas);
        }
        return updated;
    }

    // ---- strategies

    private Optional<ReplicaSet> rollingUpdate(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old) {
        int replicas = replicas(d);
        int surge = maxSurge(d);
        int unavailable = maxUnavailable(d);
        ReplicaSet current;
        int oldTotal = old.stream().mapToInt(DeploymentController::specReplicas).sum();
        if (newRs.isEmpty()) {
            int start = oldTotal == 0 ? replicas : Math.max(0, Math.min(replicas, replicas + surge - oldTotal));
            current = createNew(d, old, start);
        } else {
            current = newRs.get();
            int have = specReplicas(current);
            if (have > replicas) {
                current = scale(d, current, replicas);
            } else if (have < replicas) {
                int total = oldTotal + have;
                int room = Math.max(0, replicas + surge - total);
                current = scale(d, current, have + Math.min(room, replicas - have));
            } else {
                current = scale(d, current, have);
            }
        }
        // Old ReplicaSets: first their unavailable pods, then as far as availability allows.
        int allTotal = oldTotal + specReplicas(current);
        int minAvailable = replicas - unavailable;
        int newUnavailable = specReplicas(current) - availableReplicas(current);
        int maxScaledDown = allTotal - minAvailable - newUnavailable;
        if (oldTotal == 0 || maxScaledDown <= 0) {
            return Optional.of(current);
        }
        List<ReplicaSet> oldest = old.stream().sorted(Comparator.comparing(
                (ReplicaSet rs) -> Objects.toString(rs.getMetadata().getCreationTimestamp(), ""))).toList();
        Map<String, Integer> target = new HashMap<>();
        oldest.forEach(rs -> target.put(rs.getMetadata().getName(), specReplicas(rs)));
        int cleaned = 0;
        for (ReplicaSet rs : oldest) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int have = target.get(rs.getMetadata().getName());
            int unhealthy = Math.max(0, have - availableReplicas(rs));
            int down = Math.min(unhealthy, maxScaledDown - cleaned);
            if (down > 0) {
                target.put(rs.getMetadata().getName(), have - down);
                cleaned += down;
            }
        }
        int available = availableReplicas(current) + old.stream().mapToInt(DeploymentController::availableReplicas).sum();
        int canDown = Math.max(0, Math.min(available - minAvailable, maxScaledDown - cleaned));
        for (ReplicaSet rs : oldest) {
            if (canDown <= 0) {
                break;
            }
            int have = target.get(rs.getMetadata().getName());
            int down = Math.min(have, canDown);
            target.put(rs.getMetadata().getName(), have - down);
            canDown -= down;
        }
        for (ReplicaSet rs : oldest) {
            scale(d, rs, target.get(rs.getMetadata().getName()));
        }
        return Optional.of(current);
    }

    private Optional<ReplicaSet> recreate(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old) {
        boolean scaledDown = false;
        for (ReplicaSet rs : old) {
            if (specReplicas(rs) != 0) {
                scale(d, rs, 0);
                scaledDown = true;
            }
        }
        if (scaledDown || oldPodsRunning(old)) {
            return newRs;
        }
        if (newRs.isEmpty()) {
            return Optional.of(createNew(d, old, replicas(d)));
        }
        return Optional.of(scale(d, newRs.get(), replicas(d)));
    }

    private boolean oldPodsRunning(List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            if (rs.getStatus() != null && rs.getStatus().getReplicas() != null && rs.getStatus().getReplicas() > 0) {
                return true;
            }
            for (Pod pod : pods.list(rs.getMetadata().getNamespace())) {
                String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                if (controllerRef(pod).map(r -> r.getUid().equals(rs.getMetadata().getUid())).orElse(false)
                        && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- scaling (kube's sync and scale)

    /** Whether the Deployment's replicas changed since an active ReplicaSet was last scaled for it (its annotation). */
    private static boolean isScalingEvent(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old) {
        for (ReplicaSet rs : active(newRs, old)) {
            String desired = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(DESIRED_REPLICAS);
            if (desired != null && !desired.equals(Integer.toString(replicas(d)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Brings the ReplicaSets to the Deployment's size without rolling out. One active ReplicaSet (or,
     * with none, the newest) takes the whole count; a saturated new one leaves the old ones at 0;
     * otherwise, mid-rollout, the replicas to add or remove are shared in proportion to each active
     * ReplicaSet's size against the size it was scaled for ({@code max-replicas}), larger ones first,
     * so that a rollout keeps its ratio (10 → 15 replicas with 8 old and 5 new makes 11 and 7).
     */
    private void scaleAll(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old) {
        int replicas = replicas(d);
        List<ReplicaSet> active = active(newRs, old);
        if (active.size() <= 1) {
            ReplicaSet target = active.isEmpty() ? newRs.orElse(old.stream().max(BY_CREATION).orElse(null)) : active.getFirst();
            if (target != null && specReplicas(target) != replicas) {
                scale(d, target, replicas);
            }
            return;
        }
        if (newRs.isPresent() && saturated(d, newRs.get())) {
            for (ReplicaSet rs : old) {
                if (specReplicas(rs) > 0) {
                    scale(d, rs, 0);
                }
            }
            return;
        }
        if (!isRolling(d)) {
            return;
        }
        int total = active.stream().mapToInt(DeploymentController::specReplicas).sum();
        int allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
        int toAdd = allowed - total;
        // Equal sizes: newer ones grow first, older ones shrink first.
        Comparator<ReplicaSet> bySize = Comparator.comparingInt(DeploymentController::specReplicas).reversed();
        List<ReplicaSet> ordered = active.stream().sorted(toAdd > 0 ? bySize.thenComparing(BY_CREATION.reversed())
                : bySize.thenComparing(BY_CREATION)).toList();
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ReplicaSet rs : ordered) {
            int share = toAdd == 0 ? 0 : proportion(d, rs, toAdd, added);
            sizes.put(rs.getMetadata().getName(), specReplicas(rs) + share);
            added += share;
        }
        for (int i = 0; i < ordered.size(); i++) {
            ReplicaSet rs = ordered.get(i);
            int size = sizes.get(rs.getMetadata().getName());
            if (i == 0 && toAdd != 0) {
                // What rounding left over goes to the largest.
                size = Math.max(0, size + toAdd - added);
            }
            scale(d, rs, size);
        }
    }

    /** kube's GetProportion: this ReplicaSet's share of {@code toAdd}, within what is left of it. */
    private static int proportion(Deployment d, ReplicaSet rs, int toAdd, int added) {
        if (specReplicas(rs) == 0 || toAdd == added) {
            return 0;
        }
        int fraction;
        if (replicas(d) == 0) {
            fraction = -specReplicas(rs);
        } else {
            int scaledFor = annotation(rs, MAX_REPLICAS).orElseGet(() ->
                    d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas());
            fraction = scaledFor == 0 ? 0 : (int) Math.round((double) specReplicas(rs) * (replicas(d) + maxSurge(d)) / scaledFor)
                    - specReplicas(rs);
        }
        int left = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }

    /** The new ReplicaSet has all the Deployment's replicas, scaled for its current size, and all available. */
    private static boolean saturated(Deployment d, ReplicaSet rs) {
        int replicas = replicas(d);
        return specReplicas(rs) == replicas && annotation(rs, DESIRED_REPLICAS).orElse(-1) == replicas
                && availableReplicas(rs) == replicas;
    }

    private static List<ReplicaSet> active(Optional<ReplicaSet> newRs, List<ReplicaSet> old) {
        List<ReplicaSet> active = new ArrayList<>();
        newRs.filter(rs -> specReplicas(rs) > 0).ifPresent(active::add);
        old.stream().filter(rs -> specReplicas(rs) > 0).forEach(active::add);
        return active;
    }

    private static Optional<Integer> annotation(ReplicaSet rs, String key) {
        String value = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(key);
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Deletes old, empty ReplicaSets beyond {@code revisionHistoryLimit}, oldest first. */
    private void cleanup(Deployment d, List<ReplicaSet> old) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> empty = old.stream().filter(rs -> specReplicas(rs) == 0 && rs.getMetadata().getDeletionTimestamp() == null
                        && (rs.getStatus() == null || rs.getStatus().getReplicas() == null || rs.getStatus().getReplicas() == 0))
                .sorted(Comparator.comparingLong(DeploymentController::revision)).toList();
        for (int i = 0; i < empty.size() - limit; i++) {
            ReplicaSet rs = empty.get(i);
            try {
                client.delete(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), DeleteOptions.DEFAULT);
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    // ---- status

    /**
     * Writes the status and conditions; returns how long until the rollout's progress deadline passes
     * when it is in progress (so that a stuck rollout is looked at again then), else empty.
     */
    private Optional<java.time.Duration> updateStatus(Deployment d, List<ReplicaSet> owned, Optional<ReplicaSet> newRs) {
        int replicas = owned.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0
                : rs.getStatus().getReplicas()).sum();
        int ready = owned.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0
                : rs.getStatus().getReadyReplicas()).sum();
        int available = owned.stream().mapToInt(DeploymentController::availableReplicas).sum();
        int updated = newRs.flatMap(n -> owned.stream().filter(rs -> sameRs(rs, n)).findFirst())
                .map(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas())
                .orElse(0);
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        List<DeploymentCondition> conditions = new ArrayList<>(old.getConditions() == null ? List.of() : old.getConditions());
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        boolean minimumAvailable = available >= replicas(d) - maxUnavailable(d);
        setCondition(conditions, "Available", minimumAvailable,
                minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minimumAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now);
        Optional<java.time.Duration> recheck = Optional.empty();
        if (newRs.isPresent()) {
            String name = newRs.get().getMetadata().getName();
            boolean complete = updated == replicas(d) && replicas == updated && available >= updated
                    && owned.stream().filter(rs -> !sameRs(rs, newRs.get())).allMatch(rs -> specReplicas(rs) == 0);
            Optional<DeploymentCondition> progressing = conditions.stream().filter(c -> c.getType().equals("Progressing")).findFirst();
            if (complete) {
                setCondition(conditions, "Progressing", true, "NewReplicaSetAvailable",
                        "ReplicaSet \"" + name + "\" has successfully progressed.", now);
            } else if (d.getMetadata().getDeletionTimestamp() == null && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
                boolean created = progressing.isEmpty() || !progressing.get().getMessage().contains("\"" + name + "\"");
                // As kube's DeploymentProgressing: more pods updated, ready or available, or fewer old ones.
                int oldUpdated = old.getUpdatedReplicas() == null ? 0 : old.getUpdatedReplicas();
                int oldReplicas = old.getReplicas() == null ? 0 : old.getReplicas();
                boolean moved = updated > oldUpdated || replicas - updated < oldReplicas - oldUpdated
                        || ready > (old.getReadyReplicas() == null ? 0 : old.getReadyReplicas())
                        || available > (old.getAvailableReplicas() == null ? 0 : old.getAvailableReplicas());
                java.time.Duration deadline = java.time.Duration.ofSeconds(progressDeadlineSeconds(d));
                java.time.Instant lastProgress = progressing.filter(c -> "True".equals(c.getStatus()))
                        .map(c -> java.time.Instant.parse(c.getLastUpdateTime())).orElse(clock.instant());
                if (created || moved) {
                    setCondition(conditions, "Progressing", true, created ? "NewReplicaSetCreated" : "ReplicaSetUpdated",
                            created ? "Created new replica set \"" + name + "\"" : "ReplicaSet \"" + name + "\" is progressing.",
                            now, true);
                    recheck = Optional.of(deadline.plusSeconds(1));
                } else if (progressing.map(c -> "True".equals(c.getStatus())).orElse(false)) {
                    java.time.Duration left = java.time.Duration.between(clock.instant(), lastProgress.plus(deadline));
                    if (left.isNegative() || left.isZero()) {
                        setCondition(conditions, "Progressing", false, "ProgressDeadlineExceeded",
                                "ReplicaSet \"" + name + "\" has timed out progressing.", now);
                        events.event(d, EventType.WARNING, "ProgressDeadlineExceeded",
                                "Deployment %s has timed out progressing.", d.getMetadata().getName());
                    } else {
                        recheck = Optional.of(left.plusSeconds(1));
                    }
                }
            }
        }
        DeploymentStatus status = new DeploymentStatusBuilder(old).withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, replicas(d) - available))
                .withObservedGeneration(d.getMetadata().getGeneration()).withConditions(conditions).build();
        Map<String, String> annotations = d.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(d.getMetadata().getAnnotations());
        String revision = newRs.map(rs -> Long.toString(revision(rs))).orElse(annotations.get(REVISION));
        if (revision != null && !revision.equals(annotations.get(REVISION)) && d.getMetadata().getDeletionTimestamp() == null) {
            annotations.put(REVISION, revision);
            d = client.update(new DeploymentBuilder(d).editMetadata().withAnnotations(annotations).endMetadata().build());
        }
        if (!status.equals(d.getStatus())) {
            try {
                client.updateStatus(new DeploymentBuilder(d).withStatus(status).build());
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return recheck;
    }

    /** spec.progressDeadlineSeconds; unset is apps/v1's default, 600. */
    private static int progressDeadlineSeconds(Deployment d) {
        Integer seconds = d.getSpec().getProgressDeadlineSeconds();
        return seconds == null ? 600 : seconds;
    }

    /** Sets a condition, keeping lastTransitionTime while its status stays and lastUpdateTime while nothing changes. */
    private static void setCondition(List<DeploymentCondition> conditions, String type, boolean status, String reason,
                                     String message, String now) {
        setCondition(conditions, type, status, reason, message, now, false);
    }

    /** {@link #setCondition}; {@code touch}: lastUpdateTime is now even when nothing else changes (progress was made). */
    private static void setCondition(List<DeploymentCondition> conditions, String type, boolean status, String reason,
                                     String message, String now, boolean touch) {
        String s = status ? "True" : "False";
        Optional<DeploymentCondition> existing = conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
        if (existing.isPresent() && s.equals(existing.get().getStatus()) && reason.equals(existing.get().getReason())
                && message.equals(existing.get().getMessage()) && (!touch || now.equals(existing.get().getLastUpdateTime()))) {
            return;
        }
        String transition = existing.filter(c -> s.equals(c.getStatus())).map(DeploymentCondition::getLastTransitionTime).orElse(now);
        DeploymentCondition c = new DeploymentConditionBuilder().withType(type).withStatus(s).withReason(reason)
                .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(transition).build();
        conditions.removeIf(x -> x.getType().equals(type));
        conditions.add(c);
    }

    // ---- helpers

    /** The ReplicaSet's {@code pod-template-hash}: {@link PodTemplateHash}. */
    static String templateHash(PodTemplateSpec template, int collisionCount) {
        return PodTemplateHash.of(template, collisionCount);
    }

    private static final Comparator<ReplicaSet> BY_CREATION = Comparator.comparing(
            (ReplicaSet rs) -> Objects.toString(rs.getMetadata().getCreationTimestamp(), "")).thenComparing(rs -> rs.getMetadata().getName());

    private static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    private static int availableReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    private static long revision(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        try {
            return a == null || a.get(REVISION) == null ? 0 : Long.parseLong(a.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean sameRs(ReplicaSet a, ReplicaSet b) {
        return Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
    }

    private static int maxSurge(Deployment d) {
        if (!isRolling(d)) {
            return 0;
        }
        int surge = resolve(rolling(d).map(r -> r.getMaxSurge()).orElse(new IntOrString("25%")), replicas(d), true);
        int unavailable = resolve(rolling(d).map(r -> r.getMaxUnavailable()).orElse(new IntOrString("25%")), replicas(d), false);
        return surge == 0 && unavailable == 0 ? 0 : surge;
    }

    private static int maxUnavailable(Deployment d) {
        if (!isRolling(d)) {
            return 0;
        }
        int surge = resolve(rolling(d).map(r -> r.getMaxSurge()).orElse(new IntOrString("25%")), replicas(d), true);
        int unavailable = resolve(rolling(d).map(r -> r.getMaxUnavailable()).orElse(new IntOrString("25%")), replicas(d), false);
        if (surge == 0 && unavailable == 0) {
            return 1;
        }
        return Math.min(unavailable, replicas(d));
    }

    private static boolean isRolling(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || d.getSpec().getStrategy().getType().equals("RollingUpdate");
    }

    private static Optional<io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment> rolling(Deployment d) {
        return Optional.ofNullable(d.getSpec().getStrategy()).map(s -> s.getRollingUpdate());
    }

    /** An int, or a percentage of {@code total} rounded up (surge) or down (unavailable), as intstr.GetScaledValueFromIntOrPercent. */
    static int resolve(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal();
        if (s == null || !s.endsWith("%")) {
            return 0;
        }
        int percent = Integer.parseInt(s.substring(0, s.length() - 1));
        return roundUp ? (int) Math.ceil(percent * total / 100.0) : (int) Math.floor(percent * total / 100.0);
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        return l.entrySet().containsAll(selector.getMatchLabels().entrySet()) && (selector.getMatchExpressions() == null
                || selector.getMatchExpressions().isEmpty());
    }

    private static OwnerReference ownerRef(Deployment d) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName(d.getMetadata().getName())
                .withUid(d.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    private static Optional<OwnerReference> controllerRef(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    private static String namespace(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null ? "" : ns;
    }
}
