package io.kube4j.api.scheduling;

import java.util.List;
import java.util.Optional;

/**
 * The snapshot of the cluster's nodes the current scheduling cycle works on, taken at its start.
 * Reads never block and never do I/O; thread-safe. Outside a cycle (in a binding thread, say) it
 * shows the latest snapshot.
 */
public interface NodeInfoLister {

    /** Every node of the snapshot, in a stable order. */
    List<NodeInfo> list();

    /** The node named {@code nodeName}, or empty if the snapshot does not have it. */
    Optional<NodeInfo> get(String nodeName);
}
