package io.kube4j.api.storage;

import java.util.List;

/**
 * The answer to a {@link RangeRequest}.
 *
 * @param kvs      the keys in key order
 * @param more     whether more keys matched than {@code limit} allowed
 * @param revision the revision the read was served at (the store's current one for a latest read)
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long revision) {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }
}
