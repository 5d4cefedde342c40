package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Binds the pod to its node. Bind plugins run in profile order until one does not SKIP; the
 * default, {@code DefaultBinder}, posts a {@code Binding} to the pod's {@code binding} subresource.
 */
public interface BindPlugin extends SchedulingPlugin {

    /**
     * SUCCESS when bound; SKIP when this plugin does not handle this pod; anything else fails the
     * binding cycle (unreserve, retry). May block on the API server; runs on the pod's binding
     * thread. A 409 because the pod is already bound elsewhere is an ERROR, not a success.
     */
    Status bind(CycleState state, Pod pod, String nodeName);
}
