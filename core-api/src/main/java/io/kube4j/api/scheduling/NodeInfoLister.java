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

    /**
     * The nodes of {@link #list()} with at least one pod that has pod affinity or anti-affinity
     * ({@link PodInfo#hasPodAffinity()}), in the same order: what InterPodAffinity scans for
     * existing pods' terms instead of every pod of the cluster. The default scans; snapshots
     * should compute it once.
     */
    default List<NodeInfo> havePodsWithAffinityList() {
        return list().stream().filter(node -> node.pods().stream().anyMatch(PodInfo::hasPodAffinity)).toList();
    }

    /**
     * The nodes of {@link #list()} with at least one pod that has a required pod anti-affinity term
     * ({@link PodInfo#hasRequiredPodAntiAffinity()}), in the same order. The default scans;
     * snapshots should compute it once.
     */
    default List<NodeInfo> havePodsWithRequiredAntiAffinityList() {
        return list().stream().filter(node -> node.pods().stream().anyMatch(PodInfo::hasRequiredPodAntiAffinity)).toList();
    }
}
