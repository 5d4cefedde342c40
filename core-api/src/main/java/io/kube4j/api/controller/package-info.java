/**
 * Controllers, in the shape of controller-runtime: a {@link io.kube4j.api.controller.Controller}
 * declares what it watches and reconciles one {@link io.kube4j.api.controller.Request} (a
 * namespace/name key) at a time towards the desired state. The controller-manager gives it
 * shared informers and listers (a cache of the API server, one per type, shared by every
 * controller), a {@link io.kube4j.api.controller.RateLimitingQueue} of keys, and workers that
 * call {@code reconcile} once the caches have synced.
 *
 * <p>Reconciliation is level-based: it reads the current state from the cache, not the event
 * that woke it, so it may be killed and restarted at any moment and may see several changes as
 * one. Objects from the cache are shared: never change them, copy first.
 */
package io.kube4j.api.controller;
