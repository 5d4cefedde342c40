package io.kube4j.runtime.scheduler;

import io.kube4j.api.scheduling.NodeToStatus;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why no node fits a pod, and the message kube-scheduler prints for it:
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {...}.}
 * Each reason is counted over the nodes that gave it; the "count reason" strings are sorted.
 *
 * @param numAllNodes  the nodes in the snapshot
 * @param nodeStatuses the rejection of each filtered node
 * @param absentStatus the status of the nodes not filtered (PreFilter ruled them out), if any
 * @param preFilterMsg the message of the PreFilter plugin that rejected the pod, if one did
 * @param postFilterMsg what the PostFilter plugins (preemption) said when they could not help, if they ran
 */
record FitError(int numAllNodes, Map<String, Status> nodeStatuses, Optional<Status> absentStatus,
                Optional<String> preFilterMsg, Optional<String> postFilterMsg) {

    FitError {
        nodeStatuses = Map.copyOf(nodeStatuses);
    }

    FitError(int numAllNodes, Map<String, Status> nodeStatuses, Optional<Status> absentStatus, Optional<String> preFilterMsg) {
        this(numAllNodes, nodeStatuses, absentStatus, preFilterMsg, Optional.empty());
    }

    FitError withPostFilterMsg(String message) {
        return new FitError(numAllNodes, nodeStatuses, absentStatus, preFilterMsg,
                message.isEmpty() ? Optional.empty() : Optional.of(message));
    }

    String message() {
        StringBuilder message = new StringBuilder("0/" + numAllNodes + " nodes are available:");
        if (preFilterMsg.isPresent()) {
            // PreFilter's status was given to every node: counting it per node would repeat it.
            message.append(' ').append(preFilterMsg.get()).append('.');
        } else {
            appendReasons(message);
        }
        // Preemption's own messages may end with a period already ("...preemptionPolicy=Never.").
        postFilterMsg.ifPresent(post -> message.append(' ').append(post).append(post.endsWith(".") ? "" : "."));
        return message.toString();
    }

    private void appendReasons(StringBuilder message) {
        Map<String, Integer> reasons = new HashMap<>();
        nodeStatuses.values().forEach(status -> status.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum)));
        int absent = numAllNodes - nodeStatuses.size();
        if (absent > 0 && absentStatus.isPresent()) {
            absentStatus.get().reasons().forEach(reason -> reasons.merge(reason, absent, Integer::sum));
        }
        List<String> counted = new ArrayList<>();
        reasons.forEach((reason, count) -> counted.add(count + " " + reason));
        Collections.sort(counted);
        if (!counted.isEmpty()) {
            message.append(' ').append(String.join(", ", counted)).append('.');
        }
    }

    /** The statuses as PostFilter plugins get them. */
    NodeToStatus nodeToStatus() {
        return new NodeToStatus(nodeStatuses, absentStatus.orElse(
                Status.unschedulableAndUnresolvable("node(s) were not filtered")));
    }

    /** The plugins that rejected the pod on some node: only events they registered can help it. */
    Set<String> unschedulablePlugins() {
        Set<String> plugins = new HashSet<>();
        nodeStatuses.values().forEach(status -> status.failedPlugin().ifPresent(plugins::add));
        absentStatus.flatMap(Status::failedPlugin).ifPresent(plugins::add);
        return plugins;
    }
}
