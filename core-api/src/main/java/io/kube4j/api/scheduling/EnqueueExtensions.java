package io.kube4j.api.scheduling;

import java.util.List;

/**
 * Implemented by plugins that reject pods (PreEnqueue, PreFilter, Filter, Reserve, Permit) to say
 * which cluster changes may undo their rejection. A pod rejected by this plugin stays in the
 * unschedulable pool until a matching event arrives and the hint says QUEUE (or a long flush
 * timeout passes), so that the scheduler does not retry pods that cannot have changed.
 *
 * <p>A rejecting plugin that does not implement this interface is treated as interested in every
 * event.
 */
public interface EnqueueExtensions {

    /**
     * The events that may make a pod this plugin rejected schedulable. Asked once, at startup;
     * the answer must not change. An event registered too narrowly strands pods: when unsure,
     * register it.
     */
    List<ClusterEventWithHint> eventsToRegister();
}
