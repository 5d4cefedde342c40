package io.kube4j.controllers.expectations;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a controller waits to see in its cache after its own writes, as client-go's
 * {@code UIDTrackingControllerExpectations}: how many creations, and which pods (by uid) it asked to
 * delete. Until they are seen (or five minutes passed, in case an event was lost) the controller
 * does not count pods again, since the cache would make it create or delete twice. Thread-safe.
 * Shared by the controllers that create and delete pods (replicaset, job, daemonset).
 */
public final class Expectations {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, Set<String> deletes, Instant since) {
    }

    private final Map<Request, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    /** Whether the controller may count again: nothing pending, or pending too long. */
    public boolean satisfied(Request key) {
        Pending p = pending.get(key);
        return p == null || (p.adds() <= 0 && p.deletes().isEmpty()) || p.since().plus(TIMEOUT).isBefore(clock.instant());
    }

    public void expectCreations(Request key, int adds) {
        pending.put(key, new Pending(adds, Set.of(), clock.instant()));
    }

    /** Both at once: {@code adds} creations and the deletion of {@code uids}. */
    public void expect(Request key, int adds, Set<String> uids) {
        pending.put(key, new Pending(adds, Set.copyOf(uids), clock.instant()));
    }

    public void expectDeletions(Request key, Set<String> uids) {
        pending.put(key, new Pending(0, Set.copyOf(uids), clock.instant()));
    }

    /** A pod of {@code key} appeared in the cache, or a create failed and will never appear. */
    public void creationObserved(Request key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds() - 1, p.deletes(), p.since()));
    }

    /** The pod {@code uid} of {@code key} was deleted or began terminating, or its delete failed. */
    public void deletionObserved(Request key, String uid) {
        pending.computeIfPresent(key, (k, p) -> {
            if (!p.deletes().contains(uid)) {
                return p;
            }
            Set<String> left = new HashSet<>(p.deletes());
            left.remove(uid);
            return new Pending(p.adds(), Set.copyOf(left), p.since());
        });
    }

    public void forget(Request key) {
        pending.remove(key);
    }

    /**
     * The pod informer handler that moves these expectations: a pod that appears counts as a
     * creation seen (or, already terminating, a deletion), a pod that starts terminating or goes
     * away as a deletion seen. {@code controllerOf} names the controller's key for a pod it owns.
     * Register it before the controller runner's handlers, so that expectations move before the
     * key is queued.
     */
    public ResourceEventHandler<Pod> podHandler(Function<Pod, Optional<Request>> controllerOf) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                controllerOf.apply(pod).ifPresent(key -> {
                    if (pod.getMetadata().getDeletionTimestamp() != null) {
                        deletionObserved(key, pod.getMetadata().getUid());
                    } else {
                        creationObserved(key);
                    }
                });
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (newPod.getMetadata().getDeletionTimestamp() != null) {
                    controllerOf.apply(newPod).ifPresent(key -> deletionObserved(key, newPod.getMetadata().getUid()));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                controllerOf.apply(pod).ifPresent(key -> deletionObserved(key, pod.getMetadata().getUid()));
            }
        };
    }
}
