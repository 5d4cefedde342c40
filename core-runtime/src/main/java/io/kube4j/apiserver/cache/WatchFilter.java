package io.kube4j.apiserver.cache;

/** Which objects a watcher wants: a namespace ("" for all) and a predicate over the object. */
public interface WatchFilter {
    String namespace();

    boolean matches(CachedObject object);
}
