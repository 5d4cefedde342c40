package io.kube4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the node lifecycle controller wants of one Node: pure functions of the Node, so that they can
 * be checked without a cluster.
 */
final class NodeConditions {
    static final String READY = "Ready";
    static final String TRUE = "True";
    static final String FALSE = "False";
    static final String UNKNOWN = "Unknown";
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";
    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
    static final String MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure";
    static final String DISK_PRESSURE_TAINT = "node.kubernetes.io/disk-pressure";
    static final String PID_PRESSURE_TAINT = "node.kubernetes.io/pid-pressure";
    static final String NETWORK_UNAVAILABLE_TAINT = "node.kubernetes.io/network-unavailable";
    static final String STOPPED_REASON = "NodeStatusUnknown";
    static final String STOPPED_MESSAGE = "Kubelet stopped posting node status.";
    static final String NEVER_REASON = "NodeStatusNeverUpdated";
    static final String NEVER_MESSAGE = "Kubelet never posted node status.";

    /** The conditions the kubelet owns, which the controller turns Unknown when the kubelet goes silent (upstream's list). */
    static final List<String> KUBELET_CONDITIONS = List.of(READY, "MemoryPressure", "DiskPressure", "PIDPressure");

    /** Every taint key and effect this controller owns: it adds and removes these, never others. */
    private static final Set<String> MANAGED = Set.of(
            key(NOT_READY_TAINT, NO_EXECUTE), key(UNREACHABLE_TAINT, NO_EXECUTE),
            key(NOT_READY_TAINT, NO_SCHEDULE), key(UNREACHABLE_TAINT, NO_SCHEDULE),
            key(MEMORY_PRESSURE_TAINT, NO_SCHEDULE), key(DISK_PRESSURE_TAINT, NO_SCHEDULE),
            key(PID_PRESSURE_TAINT, NO_SCHEDULE), key(NETWORK_UNAVAILABLE_TAINT, NO_SCHEDULE),
            key(UNSCHEDULABLE_TAINT, NO_SCHEDULE));

    private NodeConditions() {
    }

    static Optional<NodeCondition> condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** The Ready condition's status: {@code True}, {@code False} or {@code Unknown} (also when there is none). */
    static String readyStatus(Node node) {
        return condition(node, READY).map(NodeCondition::getStatus).filter(Objects::nonNull).orElse(UNKNOWN);
    }

    /**
     * The node's conditions once its kubelet is deemed silent: each of {@link #KUBELET_CONDITIONS}
     * Unknown (with {@code NodeStatusUnknown}, or {@code NodeStatusNeverUpdated} when it never had
     * one), the heartbeat left as the kubelet last wrote it; other conditions untouched. Empty when
     * they all are Unknown already.
     */
    static Optional<List<NodeCondition>> silenced(Node node, String now) {
        List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        List<NodeCondition> result = new ArrayList<>();
        boolean changed = false;
        for (NodeCondition c : current) {
            if (KUBELET_CONDITIONS.contains(c.getType()) && !UNKNOWN.equals(c.getStatus())) {
                result.add(new NodeCondition(c.getLastHeartbeatTime(), now, STOPPED_MESSAGE, STOPPED_REASON, UNKNOWN,
                        c.getType()));
                changed = true;
            } else {
                result.add(c);
            }
        }
        for (String type : KUBELET_CONDITIONS) {
            if (current.stream().noneMatch(c -> type.equals(c.getType()))) {
                result.add(new NodeCondition(now, now, NEVER_MESSAGE, NEVER_REASON, UNKNOWN, type));
                changed = true;
            }
        }
        return changed ? Optional.of(result) : Optional.empty();
    }

    /**
     * The taints the node should carry: the ones it has that this controller does not own, plus the
     * condition taints its conditions call for (none for a missing condition) (kept with their {@code timeAdded} if already there;
     * new NoExecute ones get {@code now}). Empty when the node has exactly these.
     */
    static Optional<List<Taint>> taints(Node node, String now) {
        Set<String> wanted = new LinkedHashSet<>();
        // A node that never posted Ready is not tainted until the grace period makes it Unknown.
        String ready = condition(node, READY).map(NodeCondition::getStatus).orElse("");
        if (FALSE.equals(ready)) {
            wanted.add(key(NOT_READY_TAINT, NO_EXECUTE));
            wanted.add(key(NOT_READY_TAINT, NO_SCHEDULE));
        } else if (UNKNOWN.equals(ready)) {
            wanted.add(key(UNREACHABLE_TAINT, NO_EXECUTE));
            wanted.add(key(UNREACHABLE_TAINT, NO_SCHEDULE));
        }
        if (isTrue(node, "MemoryPressure")) {
            wanted.add(key(MEMORY_PRESSURE_TAINT, NO_SCHEDULE));
        }
        if (isTrue(node, "DiskPressure")) {
            wanted.add(key(DISK_PRESSURE_TAINT, NO_SCHEDULE));
        }
        if (isTrue(node, "PIDPressure")) {
            wanted.add(key(PID_PRESSURE_TAINT, NO_SCHEDULE));
        }
        if (isTrue(node, "NetworkUnavailable")) {
            wanted.add(key(NETWORK_UNAVAILABLE_TAINT, NO_SCHEDULE));
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            wanted.add(key(UNSCHEDULABLE_TAINT, NO_SCHEDULE));
        }
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        List<Taint> result = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        boolean changed = false;
        for (Taint t : current) {
            String k = key(t.getKey(), t.getEffect());
            if (MANAGED.contains(k) && !wanted.contains(k)) {
                changed = true;
                continue;
            }
            if (present.add(k) || !MANAGED.contains(k)) {
                result.add(t);
            }
        }
        for (String k : wanted) {
            if (!present.contains(k)) {
                int bar = k.indexOf('|');
                String effect = k.substring(bar + 1);
                result.add(new Taint(effect, k.substring(0, bar), NO_EXECUTE.equals(effect) ? now : null, null));
                changed = true;
            }
        }
        return changed ? Optional.of(result) : Optional.empty();
    }

    private static boolean isTrue(Node node, String type) {
        return condition(node, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    private static String key(String taintKey, String effect) {
        return taintKey + "|" + effect;
    }
}
