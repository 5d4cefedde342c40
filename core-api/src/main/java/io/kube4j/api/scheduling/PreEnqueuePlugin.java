package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Decides whether a pod may enter the active queue at all (scheduling gates, say). Called when
 * the pod is added or updated, and before it moves back to the active queue.
 */
public interface PreEnqueuePlugin extends SchedulingPlugin {

    /**
     * SUCCESS to let the pod in; UNSCHEDULABLE_AND_UNRESOLVABLE to hold it back until an event
     * this plugin registered (see {@link EnqueueExtensions}) lets it in. Must be fast and do no
     * I/O: it runs on the queue's path. Thread-safe.
     */
    Status preEnqueue(Pod pod);
}
