package io.kube4j.storage.sqlite;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreEvent;
import io.kube4j.api.storage.StoreException;
import io.kube4j.api.storage.StoreWatch;
import io.kube4j.api.storage.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A {@link Store} over one SQLite file.
 *
 * <p>Schema: {@code log} has one row per revision (key, value, create revision, the revision of
 * the key's previous row, version, deleted flag), {@code current} maps each live key to its latest
 * row, {@code meta} holds the current and the compacted revision (the current one is kept apart
 * from the log because compaction may remove the row of the last revision).
 *
 * <p>Writes: callers enqueue and wait; one platform thread takes whatever is queued, applies it in
 * one transaction, commits (one fsync for the whole batch), then publishes the events and only then
 * answers the callers. Reads use a small pool of other connections.
 *
 * <p>Watches: each has a virtual thread that follows a revision cursor. Recent events are kept in
 * memory; a cursor older than that reads the log table up to the last published revision. Both
 * sources are indexed by revision and only committed revisions are published, so moving from one to
 * the other can neither skip nor repeat a change.
 */
final class SqliteStore implements Store {
    private static final System.Logger LOG = System.getLogger(SqliteStore.class.getName());
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_BATCH = 1024;
    private static final int READERS = 4;
    private static final int RECENT_EVENTS = 8192;
    private static final int WATCH_BATCH = 512;
    private static final int PURGE_CHUNK = 2000;

    private sealed interface Op {
        CompletableFuture<Object> done();
    }

    private record Create(String key, byte[] value, CompletableFuture<Object> done) implements Op {
    }

    private record Update(String key, byte[] value, long expected, CompletableFuture<Object> done) implements Op {
    }

    private record Delete(String key, long expected, CompletableFuture<Object> done) implements Op {
    }

    private record Compact(long revision, CompletableFuture<Object> done) implements Op {
    }

    private record Stop(CompletableFuture<Object> done) implements Op {
    }

    private final Path file;
    private final BlockingQueue<Op> ops = new LinkedBlockingQueue<>();
    /** Read side: submitting; write side: closing, so nothing is queued behind the stop. */
    private final ReentrantReadWriteLock submitLock = new ReentrantReadWriteLock();
    private final BlockingQueue<Reader> readers;
    private final Connection writeConnection;
    private final Thread writer;
    private final ScheduledExecutorService compactor;

    // Writer-thread state.
    private final Statement writeStatement;
    private final PreparedStatement selectCurrent;
    private final PreparedStatement insertLog;
    private final PreparedStatement putCurrent;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement setMeta;
    /** A compaction asked for rows to go that no purge cycle has removed yet. */
    private boolean purgeWanted;
    /** Next revision of the running purge cycle; 0 when none runs. */
    private long purgeFrom;
    /** The fixed mark of the running purge cycle. */
    private long purgeLimit;
    /** The mark of the last finished purge cycle. */
    private long purgedLimit;

    // Published state, guarded by eventsLock.
    private final ReentrantLock eventsLock = new ReentrantLock();
    private final Condition published = eventsLock.newCondition();
    /** The latest published events, consecutive revisions: recent.get(i) is revision recentBase + i. */
    private final ArrayList<StoreEvent> recent = new ArrayList<>();
    private long recentBase;
    private final Set<SqliteWatch> watches = new HashSet<>();
    private volatile long revision;
    private volatile long compacted;
    private volatile boolean closed;
    /** close() ran; apart from {@link #closed}, which a dying writer also sets. */
    private boolean shutDown;

    private SqliteStore(Path file, Connection writeConnection, List<Reader> readers, long revision, long compacted,
            Duration compactEvery) throws SQLException {
        this.file = file;
        this.writeConnection = writeConnection;
        this.readers = new ArrayBlockingQueue<>(readers.size(), false, readers);
        this.revision = revision;
        this.compacted = compacted;
        writeStatement = writeConnection.createStatement();
        selectCurrent = writeConnection.prepareStatement(
                "SELECT l.rev, l.value, l.create_rev, l.version FROM current c JOIN log l ON l.rev = c.rev WHERE c.key = ?");
        insertLog = writeConnection.prepareStatement(
                "INSERT INTO log(rev, key, value, create_rev, prev_rev, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)");
        putCurrent = writeConnection.prepareStatement("INSERT OR REPLACE INTO current(key, rev) VALUES (?, ?)");
        deleteCurrent = writeConnection.prepareStatement("DELETE FROM current WHERE key = ?");
        setMeta = writeConnection.prepareStatement("UPDATE meta SET value = ? WHERE name = ?");
        writer = Thread.ofPlatform().name("sqlite-writer " + file.getFileName()).daemon().unstarted(this::writeLoop);
        if (compactEvery.isZero()) {
            compactor = null;
        } else {
            compactor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("sqlite-compactor " + file.getFileName()).daemon().factory());
        }
        recentBase = revision + 1;
        // A purge may have been cut short by a crash; run one again.
        purgeWanted = compacted > 0;
        startCompactor(compactEvery);
    }

    static SqliteStore open(Path file, String synchronous, Duration compactEvery) {
        requireNonNull(file, "file is null");
        List<Connection> opened = new ArrayList<>();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            Connection w = DriverManager.getConnection(url);
            opened.add(w);
            long revision;
            long compacted;
            try (Statement s = w.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = " + synchronous);
                s.execute("CREATE TABLE IF NOT EXISTS log ("
                        + "rev INTEGER PRIMARY KEY, key BLOB NOT NULL, value BLOB NOT NULL, create_rev INTEGER NOT NULL,"
                        + " prev_rev INTEGER NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev)");
                s.execute("CREATE TABLE IF NOT EXISTS current (key BLOB PRIMARY KEY, rev INTEGER NOT NULL) WITHOUT ROWID");
                s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
                s.execute("INSERT OR IGNORE INTO meta(name, value) VALUES ('schema', 1), ('revision', 0), ('compacted', 0)");
                try (ResultSet rs = s.executeQuery(
                        "SELECT max((SELECT value FROM meta WHERE name = 'revision'), (SELECT coalesce(max(rev), 0) FROM log)),"
                                + " (SELECT value FROM meta WHERE name = 'compacted')")) {
                    rs.next();
                    revision = rs.getLong(1);
                    compacted = rs.getLong(2);
                }
                s.execute("UPDATE meta SET value = " + revision + " WHERE name = 'revision'");
            }
            List<Reader> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Connection r = DriverManager.getConnection(url);
                opened.add(r);
                try (Statement s = r.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                    s.execute("PRAGMA query_only = 1");
                }
                readers.add(new Reader(r));
            }
            SqliteStore store = new SqliteStore(file, w, readers, revision, compacted, compactEvery);
            store.writer.start();
            return store;
        } catch (SQLException | IOException e) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException("cannot open sqlite store " + file + ": " + e.getMessage(), e);
        }
    }

    private void startCompactor(Duration every) {
        if (compactor == null) {
            return;
        }
        long millis = Math.max(1, every.toMillis());
        // kube-apiserver compacts to the revision seen one interval ago, so a client that listed up
        // to one interval back can still resume its watch.
        long[] seen = {0};
        compactor.scheduleWithFixedDelay(() -> {
            try {
                long target = seen[0];
                seen[0] = revision;
                if (target > 0 && !closed) {
                    compact(target);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "auto-compaction of " + file + " failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    // ---- reads

    @Override
    public long currentRevision() {
        return revision;
    }

    @Override
    public long compactedRevision() {
        return compacted;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        requireNonNull(key, "key is null");
        return read(reader -> reader.get(key));
    }

    @Override
    public RangeResult range(RangeRequest request) {
        requireNonNull(request, "request is null");
        return read(reader -> reader.range(request));
    }

    private interface ReadAction<T> {
        T apply(Reader reader) throws SQLException;
    }

    private <T> T read(ReadAction<T> action) {
        Reader reader;
        try {
            do {
                // Polling, so that a read racing close() ends instead of waiting for a pool that close() emptied.
                ensureOpen();
                reader = readers.poll(1, TimeUnit.SECONDS);
            } while (reader == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
        try {
            return action.apply(reader);
        } catch (SQLException e) {
            throw new StoreException("sqlite read failed: " + e.getMessage(), e);
        } finally {
            readers.add(reader);
        }
    }

    // ---- writes

    @Override
    public WriteResult create(String key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        return (WriteResult) submit(new Create(key, value.clone(), new CompletableFuture<>()));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        return (WriteResult) submit(new Update(key, value.clone(), expectedModRevision, new CompletableFuture<>()));
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        requireNonNull(key, "key is null");
        return (WriteResult) submit(new Delete(key, expectedModRevision, new CompletableFuture<>()));
    }

    @Override
    public void compact(long target) {
        if (target <= compacted) {
            return;
        }
        submit(new Compact(target, new CompletableFuture<>()));
    }

    private Object submit(Op op) {
        submitLock.readLock().lock();
        try {
            ensureOpen();
            ops.add(op);
        } finally {
            submitLock.readLock().unlock();
        }
        try {
            return op.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void writeLoop() {
        List<Op> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                Op first;
                if (purgeFrom > 0) {
                    first = ops.poll();
                } else if (purgeWanted) {
                    // A lagging watch may hold the purge back; look again now and then.
                    first = ops.poll(1, TimeUnit.SECONDS);
                } else {
                    first = ops.take();
                }
                if (first == null) {
                    purgeStep();
                    continue;
                }
                batch.add(first);
                ops.drainTo(batch, MAX_BATCH - 1);
                int start = 0;
                for (int i = 0; i <= batch.size(); i++) {
                    Op op = i < batch.size() ? batch.get(i) : null;
                    if (op == null || op instanceof Compact || op instanceof Stop) {
                        if (i > start) {
                            commitWrites(batch.subList(start, i));
                        }
                        start = i + 1;
                        if (op instanceof Compact c) {
                            startCompaction(c);
                        } else if (op instanceof Stop stop) {
                            for (Op rest : batch.subList(i + 1, batch.size())) {
                                rest.done().completeExceptionally(new IllegalStateException("store is closed"));
                            }
                            stop.done().complete(null);
                            return;
                        }
                    }
                }
                batch.clear();
                purgeStep();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "sqlite writer of " + file + " died; the store refuses further writes", e);
            StoreException failure = new StoreException("sqlite writer died", e);
            submitLock.writeLock().lock();
            try {
                // Nobody would answer what is queued or queued later: fail it all.
                closed = true;
                batch.addAll(ops);
                ops.clear();
            } finally {
                submitLock.writeLock().unlock();
            }
            for (Op op : batch) {
                op.done().completeExceptionally(failure);
            }
            throw e;
        }
    }

    private void commitWrites(List<Op> writes) {
        long rev = revision;
        List<StoreEvent> events = new ArrayList<>(writes.size());
        Object[] results = new Object[writes.size()];
        try {
            writeStatement.execute("BEGIN IMMEDIATE");
            try {
                for (int i = 0; i < writes.size(); i++) {
                    Op op = writes.get(i);
                    WriteResult result = apply(op, rev + 1, events);
                    if (result instanceof WriteResult.Written) {
                        rev++;
                    }
                    results[i] = result;
                }
                if (rev != revision) {
                    setMeta.setLong(1, rev);
                    setMeta.setString(2, "revision");
                    setMeta.executeUpdate();
                }
                writeStatement.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    writeStatement.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sqlite write batch on " + file + " failed", e);
            StoreException failure = new StoreException("sqlite write failed: " + e.getMessage(), e);
            for (Op op : writes) {
                op.done().completeExceptionally(failure);
            }
            return;
        }
        publish(events, rev);
        for (int i = 0; i < writes.size(); i++) {
            writes.get(i).done().complete(results[i]);
        }
    }

    /** Applies one write inside the batch transaction; {@code rev} is the revision it takes if it succeeds. */
    private WriteResult apply(Op op, long rev, List<StoreEvent> events) throws SQLException {
        return switch (op) {
            case Create c -> {
                KeyValue current = current(c.key());
                if (current != null) {
                    yield new WriteResult.AlreadyExists(current);
                }
                KeyValue kv = new KeyValue(c.key(), c.value(), rev, rev, 1);
                log(kv, 0, false);
                events.add(new StoreEvent(StoreEvent.Type.PUT, kv, Optional.empty()));
                yield new WriteResult.Written(kv);
            }
            case Update u -> {
                KeyValue current = current(u.key());
                if (current == null) {
                    yield new WriteResult.NotFound();
                }
                if (u.expected() != 0 && u.expected() != current.modRevision()) {
                    yield new WriteResult.Conflict(current);
                }
                KeyValue kv = new KeyValue(u.key(), u.value(), current.createRevision(), rev, current.version() + 1);
                log(kv, current.modRevision(), false);
                events.add(new StoreEvent(StoreEvent.Type.PUT, kv, Optional.of(current)));
                yield new WriteResult.Written(kv);
            }
            case Delete d -> {
                KeyValue current = current(d.key());
                if (current == null) {
                    yield new WriteResult.NotFound();
                }
                if (d.expected() != 0 && d.expected() != current.modRevision()) {
                    yield new WriteResult.Conflict(current);
                }
                KeyValue tombstone = new KeyValue(d.key(), EMPTY, 0, rev, 0);
                insertLog(d.key(), EMPTY, current.createRevision(), rev, current.modRevision(), 0, true);
                deleteCurrent.setBytes(1, Keys.bytes(d.key()));
                deleteCurrent.executeUpdate();
                events.add(new StoreEvent(StoreEvent.Type.DELETE, tombstone, Optional.of(current)));
                yield new WriteResult.Written(
                        new KeyValue(d.key(), current.value(), current.createRevision(), rev, current.version()));
            }
            case Compact c -> throw new IllegalStateException("not a write: " + c);
            case Stop s -> throw new IllegalStateException("not a write: " + s);
        };
    }

    private KeyValue current(String key) throws SQLException {
        selectCurrent.setBytes(1, Keys.bytes(key));
        try (ResultSet rs = selectCurrent.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            byte[] value = rs.getBytes(2);
            return new KeyValue(key, value == null ? EMPTY : value, rs.getLong(3), rs.getLong(1), rs.getLong(4));
        }
    }

    private void log(KeyValue kv, long prevRev, boolean deleted) throws SQLException {
        insertLog(kv.key(), kv.value(), kv.createRevision(), kv.modRevision(), prevRev, kv.version(), deleted);
        putCurrent.setBytes(1, Keys.bytes(kv.key()));
        putCurrent.setLong(2, kv.modRevision());
        putCurrent.executeUpdate();
    }

    private void insertLog(String key, byte[] value, long createRev, long rev, long prevRev, long version, boolean deleted)
            throws SQLException {
        insertLog.setLong(1, rev);
        insertLog.setBytes(2, Keys.bytes(key));
        insertLog.setBytes(3, value);
        insertLog.setLong(4, createRev);
        insertLog.setLong(5, prevRev);
        insertLog.setLong(6, version);
        insertLog.setInt(7, deleted ? 1 : 0);
        insertLog.executeUpdate();
    }

    private void publish(List<StoreEvent> events, long rev) {
        if (events.isEmpty()) {
            return;
        }
        eventsLock.lock();
        try {
            recent.addAll(events);
            if (recent.size() > 2 * RECENT_EVENTS) {
                int drop = recent.size() - RECENT_EVENTS;
                recent.subList(0, drop).clear();
                recentBase += drop;
            }
            revision = rev;
            published.signalAll();
        } finally {
            eventsLock.unlock();
        }
    }

    // ---- compaction

    private void startCompaction(Compact op) {
        long target = op.revision();
        if (target <= compacted) {
            op.done().complete(null);
            return;
        }
        if (target > revision) {
            op.done().completeExceptionally(new IllegalArgumentException(
                    "cannot compact to future revision " + target + " (current revision " + revision + ")"));
            return;
        }
        try {
            // The mark is durable before any row goes, so a reader whose snapshot lacks rows also sees the mark.
            setMeta.setLong(1, target);
            setMeta.setString(2, "compacted");
            setMeta.executeUpdate();
        } catch (SQLException e) {
            op.done().completeExceptionally(new StoreException("sqlite compaction failed: " + e.getMessage(), e));
            return;
        }
        compacted = target;
        purgeWanted = true;
        op.done().complete(null);
    }

    /**
     * Runs one step of purging the rows that compaction made unreachable. A cycle fixes its mark
     * {@code L} (the compacted revision, but below the cursor of every running watch, so that a slow
     * watch reading the log never misses a row or a previous value), then walks the whole log in
     * chunks, one transaction each so writes interleave, deleting rows at or below {@code L} that a
     * later row of the same key at or below {@code L} supersedes, and deletions at or below {@code L}.
     * Walking from the oldest row in increasing order with one mark removes a deletion only together
     * with the rows it superseded, so a reader never sees a deleted key come back.
     */
    private void purgeStep() {
        try {
            if (purgeFrom == 0) {
                if (!purgeWanted) {
                    return;
                }
                long limit = compacted;
                eventsLock.lock();
                try {
                    for (SqliteWatch w : watches) {
                        limit = Math.min(limit, w.next - 1);
                    }
                } finally {
                    eventsLock.unlock();
                }
                if (limit <= purgedLimit) {
                    return;
                }
                long oldest;
                try (ResultSet rs = writeStatement.executeQuery("SELECT coalesce(min(rev), 0) FROM log")) {
                    rs.next();
                    oldest = rs.getLong(1);
                }
                purgeWanted = limit < compacted;
                purgeLimit = limit;
                if (oldest == 0 || oldest > limit) {
                    purgedLimit = limit;
                    return;
                }
                purgeFrom = oldest;
            }
            long to = Math.min(purgeLimit, purgeFrom + PURGE_CHUNK - 1);
            try (PreparedStatement purge = writeConnection.prepareStatement(
                    "DELETE FROM log WHERE rev >= ? AND rev <= ? AND (deleted = 1"
                            + " OR rev < (SELECT max(l2.rev) FROM log l2 WHERE l2.key = log.key AND l2.rev <= ?))")) {
                purge.setLong(1, purgeFrom);
                purge.setLong(2, to);
                purge.setLong(3, purgeLimit);
                purge.executeUpdate();
            }
            purgeFrom = to + 1;
            if (purgeFrom > purgeLimit) {
                purgeFrom = 0;
                purgedLimit = purgeLimit;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "purging compacted rows of " + file + " failed; will retry at the next compaction", e);
            purgeFrom = 0;
            purgeWanted = false;
        }
    }

    // ---- watch

    @Override
    public StoreWatch watch(String prefix, long fromRevision, Consumer<StoreEvent> listener) {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(listener, "listener is null");
        if (fromRevision < 0) {
            throw new IllegalArgumentException("fromRevision must be >= 0: " + fromRevision);
        }
        eventsLock.lock();
        try {
            ensureOpen();
            long mark = compacted;
            if (fromRevision != 0 && fromRevision <= mark) {
                throw new CompactedException(fromRevision, mark);
            }
            SqliteWatch watch = new SqliteWatch(prefix, fromRevision == 0 ? revision + 1 : fromRevision, listener);
            watches.add(watch);
            watch.start();
            return watch;
        } finally {
            eventsLock.unlock();
        }
    }

    /** One watch: a virtual thread that follows {@link #next} through the recent events or the log table. */
    private final class SqliteWatch implements StoreWatch {
        private final String prefix;
        private final Consumer<StoreEvent> listener;
        /** Guards delivery so that close() returns only once no listener call is under way. */
        private final ReentrantLock delivery = new ReentrantLock();
        /** Next revision to deliver; written by the watch thread under eventsLock. */
        private long next;
        private volatile boolean stopped;

        SqliteWatch(String prefix, long next, Consumer<StoreEvent> listener) {
            this.prefix = prefix;
            this.next = next;
            this.listener = listener;
        }

        void start() {
            Thread.ofVirtual().name("sqlite-watch " + prefix).start(this::run);
        }

        private void run() {
            try {
                while (true) {
                    List<StoreEvent> batch = new ArrayList<>();
                    long from;
                    long upTo;
                    eventsLock.lock();
                    try {
                        while (!stopped && !closed && revision < next) {
                            published.await();
                        }
                        if (stopped || closed) {
                            return;
                        }
                        from = next;
                        upTo = revision;
                        if (from >= recentBase) {
                            int i = (int) (from - recentBase);
                            batch = List.copyOf(recent.subList(i, Math.min(recent.size(), i + WATCH_BATCH)));
                            next = from + batch.size();
                            from = -1;
                        } else {
                            upTo = Math.min(upTo, recentBase - 1);
                        }
                    } finally {
                        eventsLock.unlock();
                    }
                    if (from >= 0) {
                        // Older than memory: the log table holds every committed revision up to upTo,
                        // and purging stays below this cursor.
                        long start = from;
                        long end = upTo;
                        List<StoreEvent> rows = read(reader -> reader.events(prefix, start, end, WATCH_BATCH));
                        long advanced = rows.size() == WATCH_BATCH ? rows.getLast().revision() + 1 : end + 1;
                        batch = rows;
                        eventsLock.lock();
                        try {
                            next = advanced;
                        } finally {
                            eventsLock.unlock();
                        }
                    }
                    for (StoreEvent event : batch) {
                        if (event.kv().key().startsWith(prefix) && !deliver(event)) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.ERROR, "sqlite watch on prefix " + prefix + " failed; it ends", e);
                }
            } finally {
                eventsLock.lock();
                try {
                    watches.remove(this);
                } finally {
                    eventsLock.unlock();
                }
            }
        }

        private boolean deliver(StoreEvent event) {
            delivery.lock();
            try {
                if (stopped) {
                    return false;
                }
                listener.accept(event);
                return true;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "watch listener on prefix " + prefix + " failed; closing the watch", e);
                stopped = true;
                return false;
            } finally {
                delivery.unlock();
            }
        }

        @Override
        public void close() {
            stopped = true;
            eventsLock.lock();
            try {
                published.signalAll();
            } finally {
                eventsLock.unlock();
            }
            // Wait out a delivery in progress, unless the listener itself is closing the watch.
            delivery.lock();
            delivery.unlock();
        }
    }

    // ---- lifecycle

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    @Override
    public void close() {
        Stop stop = new Stop(new CompletableFuture<>());
        submitLock.writeLock().lock();
        try {
            if (shutDown) {
                return;
            }
            shutDown = true;
            closed = true;
            ops.add(stop);
        } finally {
            submitLock.writeLock().unlock();
        }
        if (compactor != null) {
            compactor.shutdownNow();
        }
        List<SqliteWatch> open;
        eventsLock.lock();
        try {
            published.signalAll();
            open = List.copyOf(watches);
        } finally {
            eventsLock.unlock();
        }
        open.forEach(SqliteWatch::close);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Exception> failures = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            try {
                Reader reader = readers.poll(30, TimeUnit.SECONDS);
                if (reader != null) {
                    reader.close();
                }
            } catch (SQLException e) {
                failures.add(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            writeConnection.close();
        } catch (SQLException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            StoreException e = new StoreException("closing sqlite store " + file + " failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
