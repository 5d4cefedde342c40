package io.kube4j.controllers.daemonset;

import io.kube4j.api.controller.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller waits to see in its cache after its own writes, as client-go's
 * {@code UIDTrackingControllerExpectations}: how many creations, and which pods (by uid) it asked to
 * delete. Until they are seen (or five minutes passed, in case an event was lost) the controller
 * does not count pods again, since the cache would make it create or delete twice. Thread-safe.
 */
final class Expectations {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, Set<String> deletes, Instant since) {
    }

    private final Map<Request, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    Expectations(Clock clock) {
        this.clock = clock;
    }

    /** Whether the controller may count again: nothing pending, or pending too long. */
    boolean satisfied(Request key) {
        Pending p = pending.get(key);
        return p == null || (p.adds() <= 0 && p.deletes().isEmpty()) || p.since().plus(TIMEOUT).isBefore(clock.instant());
    }

    void expectCreations(Request key, int adds) {
        pending.put(key, new Pending(adds, Set.of(), clock.instant()));
    }

    /** Both at once: {@code adds} creations and the deletion of {@code uids}. */
    void expect(Request key, int adds, Set<String> uids) {
        pending.put(key, new Pending(adds, Set.copyOf(uids), clock.instant()));
    }

    void expectDeletions(Request key, Set<String> uids) {
        pending.put(key, new Pending(0, Set.copyOf(uids), clock.instant()));
    }

    /** A pod of {@code key} appeared in the cache, or a create failed and will never appear. */
    void creationObserved(Request key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds() - 1, p.deletes(), p.since()));
    }

    /** The pod {@code uid} of {@code key} was deleted or began terminating, or its delete failed. */
    void deletionObserved(Request key, String uid) {
        pending.computeIfPresent(key, (k, p) -> {
            if (!p.deletes().contains(uid)) {
                return p;
            }
            Set<String> left = new HashSet<>(p.deletes());
            left.remove(uid);
            return new Pending(p.adds(), Set.copyOf(left), p.since());
        });
    }

    void forget(Request key) {
        pending.remove(key);
    }
}
