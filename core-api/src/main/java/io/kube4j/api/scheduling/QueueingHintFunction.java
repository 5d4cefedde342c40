package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Decides, for one pod that the registering plugin rejected and one event that matched the
 * registration, whether to retry the pod. Cheap (it runs for every matching pod on every event),
 * no I/O, called from the scheduler's event thread; the objects are shared, never change them.
 * An exception counts as {@link QueueingHint#QUEUE}: wrongly retrying costs a cycle, wrongly
 * skipping can strand the pod.
 */
@FunctionalInterface
public interface QueueingHintFunction {

    /**
     * @param pod the rejected pod
     * @param oldObject the object before the change; empty for ADD
     * @param newObject the object after the change; empty for DELETE
     */
    QueueingHint hint(Pod pod, Optional<HasMetadata> oldObject, Optional<HasMetadata> newObject);

    /** Always retry: what an event registered without a function means. */
    static QueueingHintFunction alwaysQueue() {
        return (pod, oldObject, newObject) -> QueueingHint.QUEUE;
    }
}
