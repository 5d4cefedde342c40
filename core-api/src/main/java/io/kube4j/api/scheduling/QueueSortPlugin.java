package io.kube4j.api.scheduling;

import java.util.Comparator;

/**
 * Orders the active queue: which pending pod is scheduled next. Exactly one is enabled per
 * scheduler (all profiles share the queue); the default is {@code PrioritySort} (higher
 * {@code spec.priority} first, then earlier {@link QueuedPodInfo#timestamp()}).
 */
public interface QueueSortPlugin extends SchedulingPlugin {

    /**
     * Whether {@code a} goes before {@code b}. A strict weak order: never both {@code less(a, b)}
     * and {@code less(b, a)}. Pure, fast, no I/O; called under the queue's lock.
     */
    boolean less(QueuedPodInfo a, QueuedPodInfo b);

    /** This order as a Comparator, for the queue's heap. */
    default Comparator<QueuedPodInfo> comparator() {
        return (a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0;
    }
}
