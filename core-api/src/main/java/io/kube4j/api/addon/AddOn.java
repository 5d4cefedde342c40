package io.kube4j.api.addon;

/**
 * A running add-on. The runtime calls {@link #start} once, then {@link #close} once when the
 * cluster stops (also after a failed start). Implementations are thread-safe: {@link #ready} may
 * be called from any thread at any time.
 */
public interface AddOn extends AutoCloseable {

    /**
     * Starts serving. Called once, after the API server answers and the context's informers have
     * started. Blocks until the add-on serves (its caches synced, its sockets bound), for at most
     * the add-on's own timeout; throws if it cannot, which fails the cluster's start.
     */
    void start() throws Exception;

    /** Whether the add-on serves now. Never blocks; false before {@link #start} and after {@link #close}. */
    boolean ready();

    /**
     * Stops gracefully: no new work is taken, work in flight gets a short while to finish, then
     * sockets and threads are released. Idempotent; never throws for an add-on that did not start.
     */
    @Override
    void close();
}
