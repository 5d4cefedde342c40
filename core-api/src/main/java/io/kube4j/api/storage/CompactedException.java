package io.kube4j.api.storage;

/**
 * A read or watch asked for history that compaction has removed (etcd's {@code ErrCompacted});
 * the API server answers it with 410 Gone.
 */
public final class CompactedException extends RuntimeException {
    private final long compactedRevision;

    public CompactedException(long requested, long compactedRevision) {
        super("required revision " + requested + " has been compacted (compacted revision " + compactedRevision + ")");
        this.compactedRevision = compactedRevision;
    }

    public long compactedRevision() {
        return compactedRevision;
    }
}
