package io.kube4j.api.controller;

import java.util.List;

/**
 * Maps a changed object of a watched type to the keys of the objects to reconcile (a Node change
 * to the DaemonSets that run on it, say). Called on an informer's thread for every event: fast,
 * no I/O (read listers); the object is shared, never change it.
 */
@FunctionalInterface
public interface RequestMapper<T> {
    List<Request> map(T object);
}
