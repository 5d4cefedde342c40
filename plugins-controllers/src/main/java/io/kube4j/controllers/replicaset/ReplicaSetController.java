package io.kube4j.controllers.replicaset;

import static io.kube4j.controllers.timestamps.Timestamps.parse;
import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.controllers.expectations.Expectations;
import io.kube4j.controllers.labels.LabelSelectors;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Kube-controller-manager's ReplicaSet controller ({@code pkg/controller/replicaset}), which also keeps
 * ReplicationControllers, seen as ReplicaSets through their {@link ReplicaKind}.
 *
 * <ul>
 *   <li>Claims pods as its controllerRef manager does: a pod it controls that no longer matches the
 *       selector is released; a matching pod without controller is adopted (after checking, live, that
 *       the ReplicaSet is still there and not being deleted).</li>
 *   <li>With active pods (not terminal, not being deleted) fewer than {@code spec.replicas}, creates
 *       the missing ones from the template (named {@code <rs>-<random>}), in batches of 1, 2, 4, ... that
 *       stop at the first failure; with more, deletes the least useful (unscheduled, pending, not ready,
 *       newest first). Events SuccessfulCreate / SuccessfulDelete / FailedCreate.</li>
 *   <li>Expectations: after creating or deleting it waits to see those pods in its cache before it
 *       counts again, so a slow cache never makes it create or delete twice.</li>
 *   <li>Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for
 *       {@code minReadySeconds}), observedGeneration. A ReplicaSet being deleted only reports.</li>
 * </ul>
 */
final class ReplicaSetController<T extends HasMetadata> implements Controller {
    private static final int BURST = 500;

    private final ReplicaKind<T> kind;
    private final ApiClient client;
    private final Lister<T> replicaSets;
    private final Lister<Pod> pods;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;

    ReplicaSetController(ReplicaKind<T> kind, ControllerContext context) {
        requireNonNull(kind, "kind is null");
        requireNonNull(context, "context is null");
        this.kind = kind;
        this.client = context.client();
        this.replicaSets = context.lister(kind.type());
        this.pods = context.lister(Pod.class);
        this.events = context.eventRecorder();
        this.clock = context.clock();
        this.expectations = new Expectations(clock);
        // Registered before the runner's handlers, so expectations move before the key is queued.
        context.informers().informerFor(Pod.class).addEventHandler(expectations.podHandler(this::controllerOf));
    }

    @Override
    public String name() {
        return kind.controllerName();
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(kind.type()), WatchSource.owns(Pod.class),
                WatchSource.watches(Pod.class, this::orphanClaimants));
    }

    /** An orphan pod: every ReplicaSet of its namespace whose selector matches it may adopt it. */
    private List<Request> orphanClaimants(Pod pod) {
        if (controllerRef(pod).isPresent()) {
            return List.of();
        }
        return replicaSets.list(namespace(pod)).stream().map(kind.view())
                .filter(rs -> LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .map(Request::of).toList();
    }

    private Optional<Request> controllerOf(Pod pod) {
        return controllerRef(pod).filter(r -> kind.isKindOf(r.getKind(), r.getApiVersion())).map(r -> new Request(namespace(pod), r.getName()));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<T> cached = replicaSets.get(request);
        if (cached.isEmpty()) {
            expectations.forget(request);
            return Result.done();
        }
        T object = cached.get();
        ReplicaSet rs = kind.view().apply(object);
        boolean needsSync = expectations.satisfied(request) && rs.getMetadata().getDeletionTimestamp() == null;
        List<Pod> owned = claimPods(rs);
        List<Pod> active = owned.stream().filter(ReplicaSetController::isActive).toList();
        if (needsSync) {
            manageReplicas(request, object, rs, active);
        }
        return updateStatus(object, rs, active);
    }

    /** The pods this ReplicaSet controls after adoption and release, as ControllerRefManager.ClaimPods. */
    private List<Pod> claimPods(ReplicaSet rs) {
        String uid = rs.getMetadata().getUid();
        boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
        List<Pod> owned = new ArrayList<>();
        List<Pod> toAdopt = new ArrayList<>();
        for (Pod pod : pods.list(rs.getMetadata().getNamespace())) {
            boolean matches = LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels());
            Optional<OwnerReference> ref = controllerRef(pod);
            if (ref.isPresent()) {
                if (!uid.equals(ref.get().getUid())) {
                    continue;
                }
                if (matches || deleting) {
                    owned.add(pod);
                } else {
                    release(pod, uid);
                }
            } else if (matches && !deleting && pod.getMetadata().getDeletionTimestamp() == null) {
                toAdopt.add(pod);
            }
        }
        if (!toAdopt.isEmpty()) {
            Optional<T> live = client.get(kind.type(), rs.getMetadata().getNamespace(), rs.getMetadata().getName());
            if (live.isPresent() && uid.equals(live.get().getMetadata().getUid())
                    && live.get().getMetadata().getDeletionTimestamp() == null) {
                for (Pod pod : toAdopt) {
                    adopt(pod, rs).ifPresent(owned::add);
                }
            }
        }
        return owned;
    }

    private Optional<Pod> adopt(Pod pod, ReplicaSet rs) {
        Optional<Pod> live = client.get(Pod.class, namespace(pod), pod.getMetadata().getName());
        if (live.isEmpty() || controllerRef(live.get()).isPresent() || live.get().getMetadata().getDeletionTimestamp() != null
                || !LabelSelectors.matches(rs.getSpec().getSelector(), live.get().getMetadata().getLabels())) {
            return Optional.empty();
        }
        Pod adopted = new PodBuilder(live.get()).editMetadata().addToOwnerReferences(ownerRef(rs)).endMetadata().build();
        try {
            return Optional.of(client.update(adopted));
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void release(Pod pod, String uid) {
        Optional<Pod> live = client.get(Pod.class, namespace(pod), pod.getMetadata().getName());
        if (live.isEmpty() || live.get().getMetadata().getOwnerReferences() == null) {
            return;
        }
        List<OwnerReference> kept = live.get().getMetadata().getOwnerReferences().stream()
                .filter(r -> !uid.equals(r.getUid())).toList();
        Pod released = new PodBuilder(live.get()).editMetadata().withOwnerReferences(kept).endMetadata().build();
        try {
            client.update(released);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private void manageReplicas(Request key, T object, ReplicaSet rs, List<Pod> active) {
        int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = active.size() - want;
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST);
            expectations.expectCreations(key, toCreate);
            int created = 0;
            int batch = 1;
            ApiException failure = null;
            while (created < toCreate && failure == null) {
                int n = Math.min(batch, toCreate - created);
                for (int i = 0; i < n; i++) {
                    try {
                        Pod pod = client.create(podFromTemplate(rs));
                        events.event(object, EventType.NORMAL, "SuccessfulCreate", "Created pod: %s", pod.getMetadata().getName());
                        created++;
                    } catch (ApiException e) {
                        failure = e;
                        events.event(object, EventType.WARNING, "FailedCreate", "Error creating: %s", e.getMessage());
                        break;
                    }
                }
                batch *= 2;
            }
            // Pods never created will never be observed.
            for (int i = created; i < toCreate; i++) {
                expectations.creationObserved(key);
            }
            if (failure != null) {
                throw failure;
            }
        } else if (diff > 0) {
            List<Pod> victims = active.stream().sorted(DELETION_ORDER).limit(Math.min(diff, BURST)).toList();
            Set<String> uids = new LinkedHashSet<>();
            victims.forEach(p -> uids.add(p.getMetadata().getUid()));
            expectations.expectDeletions(key, uids);
            for (Pod pod : victims) {
                try {
                    client.delete(Pod.class, namespace(pod), pod.getMetadata().getName(), DeleteOptions.DEFAULT);
                    events.event(object, EventType.NORMAL, "SuccessfulDelete", "Deleted pod: %s", pod.getMetadata().getName());
                } catch (ApiException e) {
                    expectations.deletionObserved(key, pod.getMetadata().getUid());
                    if (!e.isNotFound()) {
                        events.event(object, EventType.WARNING, "FailedDelete", "Error deleting: %s", e.getMessage());
                        throw e;
                    }
                }
            }
        }
    }

    /** First the pods least worth keeping, as kube's ActivePodsWithRanks: unscheduled, pending, not ready, newest. */
    private static final Comparator<Pod> DELETION_ORDER = Comparator
            .comparing((Pod p) -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
            .thenComparingInt(ReplicaSetController::phaseRank)
            .thenComparing(ReplicaSetController::isReady)
            .thenComparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""), Comparator.reverseOrder());

    private static int phaseRank(Pod pod) {
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
        return switch (phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            default -> 2;
        };
    }

    private Pod podFromTemplate(ReplicaSet rs) {
        var template = rs.getSpec().getTemplate();
        var meta = template.getMetadata();
        Map<String, String> labels = meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        List<String> finalizers = meta == null || meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
        return new PodBuilder().withNewMetadata().withNamespace(rs.getMetadata().getNamespace())
                .withGenerateName(rs.getMetadata().getName() + "-").withLabels(new HashMap<>(labels))
                .withAnnotations(annotations.isEmpty() ? null : new HashMap<>(annotations))
                .withFinalizers(finalizers.isEmpty() ? null : new ArrayList<>(finalizers))
                .withOwnerReferences(ownerRef(rs)).endMetadata()
                .withSpec(new PodSpecBuilder(template.getSpec()).build()).build();
    }

    private OwnerReference ownerRef(ReplicaSet rs) {
        return new OwnerReferenceBuilder().withApiVersion(kind.apiVersion()).withKind(kind.kind()).withName(rs.getMetadata().getName())
                .withUid(rs.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    private Result updateStatus(T object, ReplicaSet rs, List<Pod> active) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                || rs.getSpec().getTemplate().getMetadata().getLabels() == null
                ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        Instant now = clock.instant();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        Duration soonest = null;
        for (Pod pod : active) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            if (labels.entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            Optional<PodCondition> readyCondition = readyCondition(pod);
            if (readyCondition.isPresent()) {
                ready++;
                Instant since = parse(readyCondition.get().getLastTransitionTime()).orElse(Instant.EPOCH);
                Instant availableAt = since.plusSeconds(minReady);
                if (minReady == 0 || !availableAt.isAfter(now)) {
                    available++;
                } else {
                    Duration wait = Duration.between(now, availableAt).plusMillis(100);
                    soonest = soonest == null || wait.compareTo(soonest) < 0 ? wait : soonest;
                }
            }
        }
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus status = new ReplicaSetStatusBuilder(old).withReplicas(active.size())
                .withFullyLabeledReplicas(fullyLabeled).withReadyReplicas(ready).withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration()).build();
        if (!status.equals(old)) {
            try {
                client.updateStatus(kind.withStatus().apply(object, status));
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return soonest == null ? Result.done() : Result.requeueAfter(soonest);
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static boolean isReady(Pod pod) {
        return readyCondition(pod).isPresent();
    }


    private static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
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
