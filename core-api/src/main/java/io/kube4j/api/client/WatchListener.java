package io.kube4j.api.client;

import java.util.Optional;

/** Receives a watch's events, one at a time, on a thread of the client. */
public interface WatchListener<T> {

    /** One event. Should return quickly: the next event waits for it. */
    void onEvent(WatchEvent<T> event);

    /**
     * The watch ended: normally (closed, or the server's timeout), or with the error that ended it
     * (410 Gone when the version asked for was compacted: list again). Called once.
     */
    default void onClose(Optional<ApiException> error) {
    }
}
