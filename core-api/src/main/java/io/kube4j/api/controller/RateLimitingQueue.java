package io.kube4j.api.controller;

import java.time.Duration;
import java.util.Optional;

/**
 * The work queue between informer events and a controller's workers, as client-go's
 * rate-limiting work queue. Thread-safe.
 *
 * <ul>
 *   <li>Stingy: a key added many times before a worker takes it is handed out once.</li>
 *   <li>Never two at once: a key is not handed to a worker while another worker has it
 *       (between {@link #get} and {@link #done}); added meanwhile, it is handed out again after
 *       {@code done}.</li>
 *   <li>Fair: keys are handed out in the order they were added.</li>
 * </ul>
 *
 * <p>A worker loops: {@code get}, reconcile, then {@code forget} on success or
 * {@code addRateLimited} on failure, and always {@code done}.
 */
public interface RateLimitingQueue<K> {

    /** Queues {@code key} now, unless already queued. Never blocks. */
    void add(K key);

    /**
     * Queues {@code key} after its back-off: 5 ms doubled on each call since the last
     * {@link #forget}, up to 1000 s, by default. Never blocks.
     */
    void addRateLimited(K key);

    /** Queues {@code key} after {@code delay} (at once if not positive). Never blocks. */
    void addAfter(K key, Duration delay);

    /**
     * The next key, waiting until there is one; empty once the queue is shut down and drained.
     * The caller must call {@link #done} with it. Blocks: call from a worker thread.
     */
    Optional<K> get();

    /** The worker finished with {@code key}; if it was added meanwhile it is queued again. */
    void done(K key);

    /** Resets {@code key}'s back-off (after it succeeded). Does not remove it from the queue. */
    void forget(K key);

    /** How many times {@code key} was {@link #addRateLimited rate-limited} since the last {@link #forget}. */
    int numRequeues(K key);

    /** Queued keys, not counting those being worked on or waiting for a delay. */
    int length();

    /** Stops accepting keys and wakes waiting workers; keys already queued are still handed out. Idempotent. */
    void shutdown();

    boolean isShuttingDown();
}
