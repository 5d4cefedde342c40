package io.kube4j.api.storage;

/**
 * The store did not answer in time (etcd without quorum, say). Unlike other {@link StoreException}s
 * the outcome of a write is unknown: it may still take effect, whole, once the store recovers. The
 * API server answers 504, and the client reads again before it retries.
 */
public class StoreTimeoutException extends StoreException {
    public StoreTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
