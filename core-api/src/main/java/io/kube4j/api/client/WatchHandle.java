package io.kube4j.api.client;

/** A running watch; closing it ends it. Idempotent. */
public interface WatchHandle extends AutoCloseable {
    @Override
    void close();
}
