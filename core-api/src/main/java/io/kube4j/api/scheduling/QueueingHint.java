package io.kube4j.api.scheduling;

/** A plugin's opinion on whether a cluster event may make one rejected pod schedulable. */
public enum QueueingHint {
    /** Retry the pod: move it to the active (or back-off) queue. */
    QUEUE,
    /** The event does not help this pod; leave it where it is. */
    SKIP
}
