package io.kube4j.api.storage;

import static java.util.Objects.requireNonNull;

/**
 * One key at one revision, as etcd's {@code mvccpb.KeyValue}.
 *
 * @param key            the key
 * @param value          the stored bytes (empty in a delete event's {@code kv})
 * @param createRevision revision at which the key was created
 * @param modRevision    revision of the key's last change (for a delete event: of the deletion)
 * @param version        number of changes since creation, from 1; 0 for a deleted key
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
    public KeyValue {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
