package io.kube4j.apiserver.cache;

/** A watch asked to start from a version older than the cache's history: the client must list again (410). */
public final class GoneException extends RuntimeException {
    public GoneException(long requested, long oldest) {
        super("too old resource version: " + requested + " (" + oldest + ")");
    }
}
