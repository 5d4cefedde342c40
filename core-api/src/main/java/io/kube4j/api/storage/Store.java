package io.kube4j.api.storage;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A key-value store with etcd v3 semantics, the only place objects live. Only the API server
 * touches a Store.
 *
 * <ul>
 *   <li>One global revision counts every change. Each successful create, update or delete takes
 *       the next revision; revisions never go back and are never reused, also across restarts.</li>
 *   <li>Each key carries {@code createRevision}, {@code modRevision} (the revision of its last
 *       change) and {@code version} (changes since creation, from 1).</li>
 *   <li>Writes are compare-and-swap on {@code modRevision}: a caller that read a key at revision
 *       R writes it only if nobody changed it since.</li>
 *   <li>A write is durable when the method returns (for durable backends): a crash right after
 *       loses nothing that was acknowledged.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and may block on I/O; call them from virtual threads.
 * Keys are UTF-8 strings compared byte-wise, as etcd does; by convention
 * {@code /registry/<resource>/<namespace>/<name>}.
 */
public interface Store extends AutoCloseable {

    /** The revision of the last change, 0 for an empty new store. */
    long currentRevision();

    /** The revision up to which history has been compacted; 0 if never. */
    long compactedRevision();

    /** The key's current value, or empty when absent. */
    Optional<KeyValue> get(String key);

    /**
     * The keys that start with {@code request.prefix()}, in key order, as of
     * {@code request.atRevision()} (0: the latest). A read at a revision at or below
     * {@link #compactedRevision()} (other than the latest) throws {@link CompactedException}; a
     * revision above {@link #currentRevision()} throws {@link IllegalArgumentException}.
     */
    RangeResult range(RangeRequest request);

    /** Creates {@code key} if it is absent. Result: {@link WriteResult.Written} or {@link WriteResult.AlreadyExists}. */
    WriteResult create(String key, byte[] value);

    /**
     * Replaces {@code key}'s value if its current {@code modRevision} equals
     * {@code expectedModRevision} (0 means: any, as long as it exists).
     * Result: {@link WriteResult.Written}, {@link WriteResult.Conflict} or {@link WriteResult.NotFound}.
     */
    WriteResult update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes {@code key} if its current {@code modRevision} equals {@code expectedModRevision}
     * (0 means: any). On success the {@link WriteResult.Written} holds the deleted value with
     * {@code modRevision} set to the revision of the deletion.
     */
    WriteResult delete(String key, long expectedModRevision);

    /**
     * Streams every change under {@code prefix} with revision &gt;= {@code fromRevision}, in
     * revision order, with no gap and no duplicate, then every later change as it happens.
     * {@code fromRevision} 0 means: from the next change on. Throws {@link CompactedException}
     * when {@code fromRevision} is at or below {@link #compactedRevision()}.
     *
     * <p>The listener is called on a thread of the store, one event at a time; it must not block
     * (hand off to a queue). The watch ends when the returned handle is closed or the store closes.
     */
    StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener);

    /**
     * {@link #watch(String, long, Consumer)}, also telling {@code onEnd}, once, when the watch ends
     * for a reason other than being closed: the store compacted the history it still had to send
     * ({@link CompactedException}), or lost the stream ({@link StoreException}). No event follows.
     * The watcher must then read the store again; the API server's watch cache relists. The
     * default is for stores whose watches end only when closed (memory, sqlite).
     */
    default StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener,
                             Consumer<RuntimeException> onEnd) {
        return watch(prefix, fromRevision, listener);
    }

    /**
     * Forgets history before {@code revision}: the latest value of each key stays, older values
     * and deleted keys' tombstones at or before {@code revision} go. Idempotent; a revision at or
     * below {@link #compactedRevision()} is a no-op.
     */
    void compact(long revision);

    /** Releases the store's resources; pending watches end. Idempotent. */
    @Override
    void close();
}
