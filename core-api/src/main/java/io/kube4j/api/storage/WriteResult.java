package io.kube4j.api.storage;

/** The outcome of a compare-and-swap write: a value, not an exception, because losing a race is normal. */
public sealed interface WriteResult {

    /** The write took effect at {@code kv.modRevision()}. */
    record Written(KeyValue kv) implements WriteResult {
    }

    /** A create found the key present; {@code current} is its value now. */
    record AlreadyExists(KeyValue current) implements WriteResult {
    }

    /** An update or delete found another modRevision; {@code current} is the value now. */
    record Conflict(KeyValue current) implements WriteResult {
    }

    /** An update or delete found no such key. */
    record NotFound() implements WriteResult {
    }
}
