package io.kube4j.storage.sqlite;

import io.kube4j.api.storage.CompactedException;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.StoreEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One read connection with its prepared statements. Not thread-safe: the store lends each reader
 * to one thread at a time. WAL mode gives every read transaction a snapshot, so reads never wait
 * for the writer.
 */
final class Reader implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];

    private final Connection connection;
    private final Statement plain;
    private final PreparedStatement getCurrent;
    private final PreparedStatement meta;
    private final PreparedStatement rangeLatest;
    private final PreparedStatement rangeAt;
    private final PreparedStatement events;

    Reader(Connection connection) throws SQLException {
        this.connection = connection;
        plain = connection.createStatement();
        getCurrent = connection.prepareStatement(
                "SELECT l.rev, l.value, l.create_rev, l.version FROM current c JOIN log l ON l.rev = c.rev WHERE c.key = ?");
        meta = connection.prepareStatement(
                "SELECT (SELECT value FROM meta WHERE name = 'revision'), (SELECT value FROM meta WHERE name = 'compacted')");
        rangeLatest = connection.prepareStatement(
                "SELECT c.key, l.value, l.create_rev, l.rev, l.version FROM current c JOIN log l ON l.rev = c.rev"
                        + " WHERE c.key >= ? AND c.key < ? ORDER BY c.key LIMIT ?");
        rangeAt = connection.prepareStatement(
                "SELECT l.key, l.value, l.create_rev, l.rev, l.version FROM log l"
                        + " JOIN (SELECT key, max(rev) AS rev FROM log WHERE key >= ? AND key < ? AND rev <= ? GROUP BY key) m"
                        + " ON l.rev = m.rev WHERE l.deleted = 0 ORDER BY l.key LIMIT ?");
        events = connection.prepareStatement(
                "SELECT l.rev, l.key, l.value, l.create_rev, l.version, l.deleted, p.rev, p.value, p.create_rev, p.version"
                        + " FROM log l LEFT JOIN log p ON p.rev = l.prev_rev"
                        + " WHERE l.rev >= ? AND l.rev <= ? AND l.key >= ? AND l.key < ? ORDER BY l.rev LIMIT ?");
    }

    Optional<KeyValue> get(String key) throws SQLException {
        getCurrent.setBytes(1, Keys.bytes(key));
        try (ResultSet rs = getCurrent.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new KeyValue(key, bytes(rs, 2), rs.getLong(3), rs.getLong(1), rs.getLong(4)));
        }
    }

    RangeResult range(RangeRequest request) throws SQLException {
        // One transaction, so the revision, the compaction mark and the rows come from one snapshot.
        plain.execute("BEGIN");
        try {
            long revision;
            long compacted;
            try (ResultSet rs = meta.executeQuery()) {
                rs.next();
                revision = rs.getLong(1);
                compacted = rs.getLong(2);
            }
            long at = request.atRevision();
            if (at > revision) {
                throw new IllegalArgumentException("revision " + at + " is in the future (current revision " + revision + ")");
            }
            if (at != 0 && at != revision && at <= compacted) {
                throw new CompactedException(at, compacted);
            }
            long fetch = request.limit() == 0 ? -1 : request.limit() + 1;
            PreparedStatement query;
            if (at == 0 || at == revision) {
                query = rangeLatest;
                query.setBytes(1, Keys.lowerBound(request.prefix(), request.startKey()));
                query.setBytes(2, Keys.upperBound(request.prefix()));
                query.setLong(3, fetch);
            } else {
                query = rangeAt;
                query.setBytes(1, Keys.lowerBound(request.prefix(), request.startKey()));
                query.setBytes(2, Keys.upperBound(request.prefix()));
                query.setLong(3, at);
                query.setLong(4, fetch);
            }
            List<KeyValue> kvs = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (request.limit() > 0 && kvs.size() == request.limit()) {
                        more = true;
                        break;
                    }
                    kvs.add(new KeyValue(Keys.string(rs.getBytes(1)), bytes(rs, 2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return new RangeResult(kvs, more, at == 0 ? revision : at);
        } finally {
            plain.execute("COMMIT");
        }
    }

    /** The changes under {@code prefix} with revisions in [from, to], oldest first, at most {@code max}. */
    List<StoreEvent> events(String prefix, long from, long to, int max) throws SQLException {
        events.setLong(1, from);
        events.setLong(2, to);
        events.setBytes(3, Keys.bytes(prefix));
        events.setBytes(4, Keys.upperBound(prefix));
        events.setInt(5, max);
        List<StoreEvent> out = new ArrayList<>();
        try (ResultSet rs = events.executeQuery()) {
            while (rs.next()) {
                long rev = rs.getLong(1);
                String key = Keys.string(rs.getBytes(2));
                boolean deleted = rs.getInt(6) != 0;
                rs.getLong(7);
                Optional<KeyValue> prev = rs.wasNull()
                        ? Optional.empty()
                        : Optional.of(new KeyValue(key, bytes(rs, 8), rs.getLong(9), rs.getLong(7), rs.getLong(10)));
                if (deleted) {
                    out.add(new StoreEvent(StoreEvent.Type.DELETE, new KeyValue(key, EMPTY, 0, rev, 0), prev));
                } else {
                    out.add(new StoreEvent(StoreEvent.Type.PUT,
                            new KeyValue(key, bytes(rs, 3), rs.getLong(4), rev, rs.getLong(5)), prev));
                }
            }
        }
        return out;
    }

    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        // SQLite hands back NULL for a zero-length BLOB through some drivers.
        return b == null ? EMPTY : b;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
