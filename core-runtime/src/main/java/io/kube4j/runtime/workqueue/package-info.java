/**
 * The work queue between informer events and controller workers, with client-go's semantics:
 * a key queued many times is handed out once, a key is never worked on by two workers at once,
 * delayed adds, and per-key exponential back-off combined with an overall token bucket.
 * {@link io.kube4j.runtime.workqueue.DefaultRateLimitingQueue} is the implementation of
 * {@link io.kube4j.api.controller.RateLimitingQueue}; {@link io.kube4j.runtime.workqueue.RateLimiter}
 * decides the delays. Time comes from a {@link io.kube4j.runtime.workqueue.Ticker} so tests drive it.
 */
package io.kube4j.runtime.workqueue;
