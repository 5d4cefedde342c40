package io.kube4j.controllers.statefulset;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
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
import io.kube4j.controllers.labels.LabelSelectors;
import io.kube4j.controllers.templates.TemplateRevisions;
import io.kube4j.controllers.timestamps.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kube-controller-manager's StatefulSet controller ({@code pkg/controller/statefulset}).
 *
 * <ul>
 *   <li>Pods {@code <set>-<ordinal>} for the ordinals {@code [start, start + replicas)} ({@code spec.ordinals.start},
 *       default 0), with {@code hostname} their name and {@code subdomain} the set's {@code serviceName}, labelled
 *       {@code statefulset.kubernetes.io/pod-name}, {@code apps.kubernetes.io/pod-index} and
 *       {@code controller-revision-hash} (the revision they were made from), controlled by the set.</li>
 *   <li>{@code OrderedReady}: one pod at a time, in ordinal order, each once the previous ones are Running and
 *       Ready; scale down from the highest ordinal, one at a time, while all others are healthy; a terminating
 *       pod is waited for. {@code Parallel}: every missing pod at once, every extra pod at once.</li>
 *   <li>Failed (or Succeeded) pods are deleted, then made again. Matching orphans named {@code <set>-<n>} are
 *       adopted, pods relabelled out of the selector released, lost identity labels put back.</li>
 *   <li>Each template is a ControllerRevision ({@link Revisions}). {@code RollingUpdate}: once every pod is
 *       there, the pods of ordinal {@code >= start + partition} not of the update revision are deleted, the
 *       highest first, one at a time, each after the ones above are healthy again; they are made again from the
 *       update revision, those below the partition from the current one. When all pods are updated and ready the
 *       update revision becomes the current one. {@code OnDelete}: only pods deleted by someone else are made
 *       from the update revision.</li>
 *   <li>{@code volumeClaimTemplates}: there are no PersistentVolumes here, so each claim is mounted as an
 *       {@code emptyDir} of the claim's name: the pod starts, its data lives as long as the pod.</li>
 *   <li>Status {@code replicas}, {@code readyReplicas}, {@code availableReplicas} (ready for
 *       {@code minReadySeconds}), {@code currentReplicas}, {@code updatedReplicas}, {@code currentRevision},
 *       {@code updateRevision}, {@code collisionCount}, {@code observedGeneration}: what
 *       {@code kubectl rollout status statefulset/NAME} reads. Events {@code SuccessfulCreate},
 *       {@code SuccessfulDelete}, {@code FailedCreate}.</li>
 * </ul>
 *
 * <p>No expectations are needed: names are fixed, so a lagging cache at worst makes a create fail with
 * AlreadyExists, and deletes carry the pod's uid as precondition.
 */
final class StatefulSetController implements Controller {
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    static final String REVISION_LABEL = "controller-revision-hash";
    private static final String KIND = "StatefulSet";

    private final ApiClient client;
    private final Lister<StatefulSet> sets;
    private final Lister<Pod> pods;
    private final Revisions revisions;
    private final EventRecorder events;
    private final Clock clock;

    StatefulSetController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.sets = context.lister(StatefulSet.class);
        this.pods = context.lister(Pod.class);
        this.revisions = new Revisions(client, context.lister(ControllerRevision.class));
        this.events = context.eventRecorder();
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return StatefulSetControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(StatefulSet.class), WatchSource.owns(Pod.class), WatchSource.owns(ControllerRevision.class),
                WatchSource.watches(Pod.class, this::orphanClaimants));
    }

    /** An orphan pod named like a set's pod and matching its selector may be adopted by it. */
    private List<Request> orphanClaimants(Pod pod) {
        if (controllerRef(pod).isPresent()) {
            return List.of();
        }
        return sets.list(pod.getMetadata().getNamespace()).stream().filter(s -> isMember(s, pod)).map(Request::of).toList();
    }

    @Override
    public Result reconcile(Request request) {
        Optional<StatefulSet> cached = sets.get(request);
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        StatefulSet set = cached.get();
        Revisions.Current revs = revisions.sync(set);
        List<Pod> owned = claimPods(set);
        Instant now = clock.instant();
        StatefulSetStatus status = status(set, owned, revs, now);

        int start = start(set);
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
        Map<Integer, Pod> byOrdinal = new TreeMap<>();
        List<Pod> condemned = new ArrayList<>();
        for (Pod pod : owned) {
            int ordinal = ordinal(set, pod).orElse(-1);
            if (ordinal >= start && ordinal < start + replicas) {
                byOrdinal.put(ordinal, pod);
            } else {
                condemned.add(pod);
            }
        }
        condemned.sort(Comparator.comparingInt((Pod p) -> ordinal(set, p).orElse(-1)).reversed());

        boolean waiting = scaleAndReplace(set, revs, start, replicas, monotonic, byOrdinal, now)
                || scaleDown(set, monotonic, condemned, byOrdinal.values(), now);
        if (!waiting && isRollingUpdate(set)) {
            rollingUpdate(set, revs, start, replicas, byOrdinal, now);
        }

        if (!status.equals(set.getStatus())) {
            try {
                client.updateStatus(new StatefulSetBuilder(set).withStatus(status).build());
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        Set<String> live = new HashSet<>();
        live.add(revs.current().getMetadata().getName());
        live.add(revs.update().getMetadata().getName());
        owned.forEach(p -> live.add(revisionOf(p)));
        revisions.truncate(set, live);
        return availabilityRequeue(set, owned, now);
    }

    /** Creates missing pods and deletes finished ones; true when it must wait (ordered mode). */
    private boolean scaleAndReplace(StatefulSet set, Revisions.Current revs, int start, int replicas, boolean monotonic,
                                    Map<Integer, Pod> byOrdinal, Instant now) {
        for (int ordinal = start; ordinal < start + replicas; ordinal++) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null) {
                create(set, revs, ordinal);
                if (monotonic) {
                    return true;
                }
                continue;
            }
            String phase = phase(pod);
            if (("Failed".equals(phase) || "Succeeded".equals(phase)) && !isTerminating(pod)) {
                delete(set, pod);
                if (monotonic) {
                    return true;
                }
                continue;
            }
            if (!isTerminating(pod)) {
                repairIdentity(set, pod, ordinal);
            }
            if (monotonic && (isTerminating(pod) || !isAvailable(set, pod, now))) {
                return true;
            }
        }
        return false;
    }

    /** Deletes pods beyond the replicas, highest ordinal first; true when it must wait (ordered mode). */
    private boolean scaleDown(StatefulSet set, boolean monotonic, List<Pod> condemned, Collection<Pod> kept, Instant now) {
        for (Pod pod : condemned) {
            if (isTerminating(pod)) {
                if (monotonic) {
                    return true;
                }
                continue;
            }
            if (monotonic && kept.stream().anyMatch(p -> !isHealthy(p))) {
                return true;
            }
            delete(set, pod);
            if (monotonic) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the highest pod at or above the partition that is not of the update revision, once those above are healthy. */
    private void rollingUpdate(StatefulSet set, Revisions.Current revs, int start, int replicas, Map<Integer, Pod> byOrdinal,
                               Instant now) {
        String update = revs.update().getMetadata().getName();
        for (int ordinal = start + replicas - 1; ordinal >= start + partition(set); ordinal--) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null) {
                return;
            }
            if (!update.equals(revisionOf(pod)) && !isTerminating(pod)) {
                delete(set, pod);
                return;
            }
            if (!isHealthy(pod)) {
                return;
            }
        }
    }

    private void create(StatefulSet set, Revisions.Current revs, int ordinal) {
        boolean fromCurrent = isRollingUpdate(set) && ordinal < start(set) + partition(set);
        ControllerRevision revision = fromCurrent ? revs.current() : revs.update();
        PodTemplateSpec template = fromCurrent ? Optional.ofNullable(TemplateRevisions.templateOf(revision)).orElse(set.getSpec().getTemplate())
                : set.getSpec().getTemplate();
        Pod pod = podFor(set, template, ordinal, revision.getMetadata().getName());
        try {
            client.create(pod);
            events.event(set, EventType.NORMAL, "SuccessfulCreate", "create Pod %s in StatefulSet %s successful",
                    pod.getMetadata().getName(), set.getMetadata().getName());
        } catch (ApiException e) {
            if (e.isConflict()) {
                // Already there: the cache has not seen it yet; its event brings the set back.
                return;
            }
            events.event(set, EventType.WARNING, "FailedCreate", "create Pod %s in StatefulSet %s failed error: %s",
                    pod.getMetadata().getName(), set.getMetadata().getName(), e.getMessage());
            throw e;
        }
    }

    private void delete(StatefulSet set, Pod pod) {
        try {
            client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    DeleteOptions.DEFAULT.withPreconditionUid(pod.getMetadata().getUid()));
            events.event(set, EventType.NORMAL, "SuccessfulDelete", "delete Pod %s in StatefulSet %s successful",
                    pod.getMetadata().getName(), set.getMetadata().getName());
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                events.event(set, EventType.WARNING, "FailedDelete", "delete Pod %s in StatefulSet %s failed error: %s",
                        pod.getMetadata().getName(), set.getMetadata().getName(), e.getMessage());
                throw e;
            }
        }
    }

    /** The pod of {@code ordinal}, made from {@code template} of revision {@code revision}. */
    static Pod podFor(StatefulSet set, PodTemplateSpec template, int ordinal, String revision) {
        String name = set.getMetadata().getName() + "-" + ordinal;
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        if (template.getMetadata() != null) {
            Optional.ofNullable(template.getMetadata().getLabels()).ifPresent(labels::putAll);
            Optional.ofNullable(template.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
        }
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(REVISION_LABEL, revision);
        PodSpec spec = new PodSpecBuilder(template.getSpec()).withHostname(name).build();
        String service = set.getSpec().getServiceName();
        if (service != null && !service.isEmpty()) {
            spec.setSubdomain(service);
        }
        List<PersistentVolumeClaim> claims = set.getSpec().getVolumeClaimTemplates() == null ? List.of()
                : set.getSpec().getVolumeClaimTemplates();
        for (PersistentVolumeClaim claim : claims) {
            String volume = claim.getMetadata().getName();
            if (spec.getVolumes() == null || spec.getVolumes().stream().noneMatch(v -> volume.equals(v.getName()))) {
                List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
                volumes.add(new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
                spec.setVolumes(volumes);
            }
        }
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(KIND).withName(set.getMetadata().getName())
                .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
        return new PodBuilder().withNewMetadata().withNamespace(set.getMetadata().getNamespace()).withName(name).withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).withOwnerReferences(owner).endMetadata()
                .withSpec(spec).build();
    }

    private StatefulSetStatus status(StatefulSet set, List<Pod> owned, Revisions.Current revs, Instant now) {
        String current = revs.current().getMetadata().getName();
        String update = revs.update().getMetadata().getName();
        int ready = 0;
        int available = 0;
        int currentReplicas = 0;
        int updated = 0;
        for (Pod pod : owned) {
            if (isRunningAndReady(pod)) {
                ready++;
                if (isAvailable(set, pod, now)) {
                    available++;
                }
            }
            if (!isTerminating(pod)) {
                currentReplicas += current.equals(revisionOf(pod)) ? 1 : 0;
                updated += update.equals(revisionOf(pod)) ? 1 : 0;
            }
        }
        if (isRollingUpdate(set) && updated == owned.size() && ready == owned.size()) {
            current = update;
            currentReplicas = updated;
        }
        StatefulSetStatus old = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        return new StatefulSetStatusBuilder(old).withReplicas(owned.size()).withReadyReplicas(ready).withAvailableReplicas(available)
                .withCurrentReplicas(currentReplicas).withUpdatedReplicas(updated).withCurrentRevision(current)
                .withUpdateRevision(update).withCollisionCount(revs.collisionCount() == 0 && old.getCollisionCount() == null
                        ? null : revs.collisionCount())
                .withObservedGeneration(set.getMetadata().getGeneration()).build();
    }

    /** With {@code minReadySeconds}: check again when the next ready pod becomes available. */
    private static Result availabilityRequeue(StatefulSet set, List<Pod> owned, Instant now) {
        int minReady = minReadySeconds(set);
        Optional<Instant> soonest = owned.stream().filter(StatefulSetController::isRunningAndReady)
                .map(p -> readySince(p).plusSeconds(minReady)).filter(t -> t.isAfter(now)).min(Comparator.naturalOrder());
        return soonest.map(t -> Result.requeueAfter(Duration.between(now, t).plusMillis(100))).orElse(Result.done());
    }

    /** The pods the set controls after adopting matching orphans named after it, as its ControllerRefManager. */
    private List<Pod> claimPods(StatefulSet set) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.list(set.getMetadata().getNamespace())) {
            Optional<OwnerReference> ref = controllerRef(pod);
            if (ref.isPresent()) {
                if (!set.getMetadata().getUid().equals(ref.get().getUid())) {
                    continue;
                }
                if (LabelSelectors.matches(set.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    owned.add(pod);
                } else {
                    release(set, pod);
                }
            } else if (isMember(set, pod) && !isTerminating(pod)) {
                adopt(set, pod).ifPresent(owned::add);
            }
        }
        return owned;
    }

    /** A pod relabelled out of the selector is no longer the set's: its controller reference goes. */
    private void release(StatefulSet set, Pod pod) {
        List<OwnerReference> kept = pod.getMetadata().getOwnerReferences().stream()
                .filter(r -> !set.getMetadata().getUid().equals(r.getUid())).toList();
        try {
            client.update(new PodBuilder(pod).editMetadata().withOwnerReferences(kept).endMetadata().build());
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
    }

    /** Puts back the identity labels of a pod that lost them (or was adopted without them). */
    private void repairIdentity(StatefulSet set, Pod pod, int ordinal) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String name = pod.getMetadata().getName();
        String index = Integer.toString(ordinal);
        if (name.equals(labels.get(POD_NAME_LABEL)) && index.equals(labels.get(POD_INDEX_LABEL))) {
            return;
        }
        try {
            client.update(new PodBuilder(pod).editMetadata().addToLabels(POD_NAME_LABEL, name).addToLabels(POD_INDEX_LABEL, index)
                    .endMetadata().build());
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
    }

    private Optional<Pod> adopt(StatefulSet set, Pod pod) {
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(KIND).withName(set.getMetadata().getName())
                .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
        try {
            return Optional.of(client.update(new PodBuilder(pod).editMetadata().addToOwnerReferences(owner).endMetadata().build()));
        } catch (ApiException e) {
            if (e.isNotFound() || e.isConflict()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean isMember(StatefulSet set, Pod pod) {
        return ordinal(set, pod).isPresent() && LabelSelectors.matches(set.getSpec().getSelector(), pod.getMetadata().getLabels());
    }

    /** The ordinal in a pod's name {@code <set>-<ordinal>}. */
    static OptionalInt ordinal(StatefulSet set, Pod pod) {
        String prefix = set.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return OptionalInt.empty();
        }
        String digits = name.substring(prefix.length());
        if (!digits.chars().allMatch(Character::isDigit) || (digits.length() > 1 && digits.startsWith("0")) || digits.length() > 9) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(digits));
    }

    private static int start(StatefulSet set) {
        return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null ? 0
                : set.getSpec().getOrdinals().getStart();
    }

    private static boolean isRollingUpdate(StatefulSet set) {
        return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
                || "RollingUpdate".equals(set.getSpec().getUpdateStrategy().getType());
    }

    private static int partition(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        return strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null ? 0
                : strategy.getRollingUpdate().getPartition();
    }

    private static int minReadySeconds(StatefulSet set) {
        return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    }

    private static String revisionOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? "" : pod.getMetadata().getLabels().getOrDefault(REVISION_LABEL, "");
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    private static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    private static Optional<PodCondition> ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static boolean isRunningAndReady(Pod pod) {
        return "Running".equals(phase(pod)) && ready(pod).isPresent();
    }

    private static boolean isHealthy(Pod pod) {
        return isRunningAndReady(pod) && !isTerminating(pod);
    }

    private static Instant readySince(Pod pod) {
        return ready(pod).flatMap(c -> Timestamps.parse(c.getLastTransitionTime())).orElse(Instant.EPOCH);
    }

    /** Running and Ready for {@code minReadySeconds}. */
    private static boolean isAvailable(StatefulSet set, Pod pod, Instant now) {
        return isRunningAndReady(pod) && !readySince(pod).plusSeconds(minReadySeconds(set)).isAfter(now);
    }

    private static Optional<OwnerReference> controllerRef(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }
}
