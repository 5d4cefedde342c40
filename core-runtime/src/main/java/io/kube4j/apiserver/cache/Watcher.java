package io.kube4j.apiserver.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's watch. The cache's dispatcher offers items without ever blocking; a watcher whose
 * bounded queue is full is closed (its client re-watches from the last version it saw), as
 * kube-apiserver's cacher does. The serving thread takes items with {@link #next}.
 */
public final class Watcher implements AutoCloseable {

    /** What the serving thread writes next: an event, or a bookmark at a revision. */
    public sealed interface Item {
    }

    /** An event, already turned into what this watcher must see (a MODIFIED that leaves the filter becomes DELETED). */
    public record Event(CacheEvent.Type type, CachedObject object) implements Item {
    }

    /** Everything up to {@code revision} has been sent. */
    public record Bookmark(long revision) implements Item {
    }

    private final WatchFilter filter;
    private final boolean bookmarks;
    private final BlockingQueue<Item> queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Runnable onClose;

    Watcher(WatchFilter filter, boolean bookmarks, int capacity, Runnable onClose) {
        this.filter = filter;
        this.bookmarks = bookmarks;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    WatchFilter filter() {
        return filter;
    }

    boolean wantsBookmarks() {
        return bookmarks;
    }

    /** Called by the dispatcher only; never blocks. */
    void offer(Item item) {
        if (closed.get()) {
            return;
        }
        if (!queue.offer(item)) {
            overflowed.set(true);
            close();
        }
    }

    /** Turns a cache event into what this watcher sees, if anything, and queues it. */
    void dispatch(CacheEvent event) {
        view(filter, event).ifPresent(this::offer);
    }

    /**
     * What a watcher with {@code filter} sees of {@code event}: an object that starts matching is
     * ADDED, one that stops matching is DELETED, as kube-apiserver's cacher does.
     */
    static Optional<Item> view(WatchFilter filter, CacheEvent event) {
        if (event.type() == CacheEvent.Type.DELETED) {
            return filter.matches(event.object())
                    ? Optional.of(new Event(CacheEvent.Type.DELETED, event.object())) : Optional.empty();
        }
        boolean now = filter.matches(event.object());
        boolean before = event.previous().map(filter::matches).orElse(false);
        if (now) {
            return Optional.of(new Event(before ? CacheEvent.Type.MODIFIED : CacheEvent.Type.ADDED, event.object()));
        }
        return before ? Optional.of(new Event(CacheEvent.Type.DELETED, event.object())) : Optional.empty();
    }

    /**
     * The next item, waiting at most {@code timeout}; empty on timeout or when the watcher is
     * closed and drained.
     */
    public Optional<Item> next(Duration timeout) throws InterruptedException {
        Item item = queue.poll();
        if (item != null) {
            return Optional.of(item);
        }
        if (closed.get()) {
            return Optional.empty();
        }
        return Optional.ofNullable(queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The next item if one is queued now, without waiting. */
    public Optional<Item> poll() {
        return Optional.ofNullable(queue.poll());
    }

    /** Whether the watcher was closed (by the client, the server, or because it fell behind) and nothing is left to send. */
    public boolean isDone() {
        return closed.get() && queue.isEmpty();
    }

    /** Whether the watcher was closed because its client could not keep up. */
    public boolean overflowed() {
        return overflowed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }
}
