package io.kube4j.api.storage;

import static java.util.Objects.requireNonNull;

/**
 * A range read: the keys starting with {@code prefix}, beginning at {@code startKey}
 * (inclusive; empty: from the start), at most {@code limit} (0: all), as of {@code atRevision} (0: latest).
 */
public record RangeRequest(String prefix, String startKey, long limit, long atRevision) {
    public RangeRequest {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(startKey, "startKey is null");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        if (atRevision < 0) {
            throw new IllegalArgumentException("atRevision must be >= 0: " + atRevision);
        }
    }

    public static RangeRequest prefix(String prefix) {
        return new RangeRequest(prefix, "", 0, 0);
    }
}
