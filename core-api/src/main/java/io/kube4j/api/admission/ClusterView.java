package io.kube4j.api.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A read-only, in-memory view of the objects the API server holds (its watch cache), for
 * plugins that run inside the API server. Reads never do I/O. Returned objects are shared:
 * never change them, copy first.
 */
public interface ClusterView {

    /** The object named {@code name} of resource {@code resource} (plural, e.g. "namespaces") in {@code group}. */
    Optional<ObjectNode> get(String group, String resource, String namespace, String name);

    /** Every object of the resource in the namespace ("" for all namespaces or cluster-scoped). */
    List<ObjectNode> list(String group, String resource, String namespace);
}
