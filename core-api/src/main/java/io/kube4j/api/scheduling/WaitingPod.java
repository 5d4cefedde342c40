package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * A pod parked at Permit, holding its reservation. Thread-safe: any plugin may allow or reject it
 * from any thread; the first rejection, or the allowance of the last pending plugin, decides.
 */
public interface WaitingPod {

    Pod pod();

    /** The node the pod is reserved on. */
    String nodeName();

    /** The PermitPlugins that answered WAIT and have not allowed it yet. */
    Set<String> pendingPlugins();

    /** {@code pluginName} allows the pod; when no plugin is pending any more, the pod goes on to bind. Idempotent. */
    void allow(String pluginName);

    /** Rejects the pod: it is unreserved and retried. A no-op once the pod was decided. */
    void reject(String pluginName, String message);
}
