package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Runs once per scheduling cycle before filtering: checks the pod as a whole and precomputes
 * what Filter will need, writing it to the {@link CycleState}.
 */
public interface PreFilterPlugin extends SchedulingPlugin {

    /**
     * Examines the pod. A non-SUCCESS status other than SKIP ends the cycle: the pod is
     * unschedulable (or, for ERROR, retried with back-off). SKIP means this plugin's Filter is not
     * run for this pod. May narrow the candidate nodes ({@link PreFilterResult#only}). No I/O (read
     * the snapshot); called on the scheduling thread.
     */
    PreFilterResult preFilter(CycleState state, Pod pod);

    /**
     * The incremental updates this plugin supports, for preemption's what-ifs; empty if its
     * precomputed state does not depend on other pods. Asked once, at startup.
     */
    default Optional<PreFilterExtensions> preFilterExtensions() {
        return Optional.empty();
    }
}
