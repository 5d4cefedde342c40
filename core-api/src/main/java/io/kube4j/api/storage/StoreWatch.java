package io.kube4j.api.storage;

/** A running watch; closing it stops delivery. Idempotent. */
public interface StoreWatch extends AutoCloseable {
    @Override
    void close();
}
