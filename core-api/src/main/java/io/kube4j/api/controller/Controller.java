package io.kube4j.api.controller;

import java.util.List;

/**
 * A control loop: drives objects of one type towards their spec (the Deployment controller
 * makes ReplicaSets, the Endpoints controller lists ready pods, ...). Made by a
 * {@link ControllerFactory}; run by the controller-manager, which starts
 * {@link ControllerContext#workers()} workers once the informers of {@link #watches()} have synced.
 */
public interface Controller {

    /** The name used in profiles and logs, equal to its factory's name ({@code deployment}). */
    String name();

    /**
     * The types this controller watches and how their events become keys: one
     * {@link WatchSource.For}, then any {@link WatchSource.Owns} and {@link WatchSource.Watches}.
     * A controller whose keys are not the objects of one type (the garbage collector, keyed by
     * uid) declares no {@code For} and no {@code Owns}, only {@code Watches}.
     * Asked once, before start; the answer must not change.
     */
    List<WatchSource<?>> watches();

    /**
     * Makes the cluster match the desired state of the object named by {@code request}, reading
     * it (and whatever else) from listers, writing through the API client. The object may be gone:
     * then clean up what is left, or do nothing.
     *
     * <p>May block on the API server; runs on a worker (virtual) thread. Called concurrently for
     * different keys but never for the same key at once. Must be idempotent: the same key may be
     * reconciled again at any time with nothing changed. A thrown exception requeues the key with
     * back-off, except {@link TerminalException}; a 409 Conflict is normal (the cache was stale)
     * and simply retried.
     */
    Result reconcile(Request request);
}
