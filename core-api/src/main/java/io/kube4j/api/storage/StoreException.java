package io.kube4j.api.storage;

/** The store's infrastructure failed (disk, network, cluster unavailable): the API server answers 5xx. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
