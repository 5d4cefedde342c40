package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Runs once per cycle before scoring, over the nodes that passed filtering, to precompute for Score. */
public interface PreScorePlugin extends SchedulingPlugin {

    /**
     * Precomputes into {@code state}. SUCCESS; SKIP when this plugin's Score has nothing to say for
     * this pod (its Score is then not called); ERROR ends the cycle. No I/O; scheduling thread.
     *
     * @param feasibleNodes the nodes that passed filtering, more than one
     */
    Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes);
}
