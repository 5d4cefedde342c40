package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Why each node was rejected in a cycle's filtering, given to PostFilter plugins. Nodes that were
 * never filtered (PreFilter narrowed the candidates) have {@code absentNodesStatus}.
 *
 * @param statuses the rejection of each filtered node that failed, by node name
 * @param absentNodesStatus the status of every node not in {@code statuses}
 */
public record NodeToStatus(Map<String, Status> statuses, Status absentNodesStatus) {

    public NodeToStatus {
        statuses = Map.copyOf(requireNonNull(statuses, "statuses is null"));
        requireNonNull(absentNodesStatus, "absentNodesStatus is null");
        statuses.forEach((node, status) -> {
            if (status.isSuccess()) {
                throw new IllegalArgumentException("node " + node + " passed filtering and has no place here");
            }
        });
    }

    /** The status of {@code nodeName}. */
    public Status get(String nodeName) {
        return statuses.getOrDefault(nodeName, absentNodesStatus);
    }

    /**
     * The nodes where preemption may help: those whose status is UNSCHEDULABLE (not
     * UNSCHEDULABLE_AND_UNRESOLVABLE), among {@code allNodes}.
     */
    public List<String> nodesWherePreemptionMightHelp(List<String> allNodes) {
        return allNodes.stream().filter(node -> get(node).code() == Status.Code.UNSCHEDULABLE).toList();
    }
}
