package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.plugin.PluginContext;
import java.util.List;
import java.util.Optional;

/**
 * What the scheduler gives its plugins when it creates them (kube-scheduler's framework handle).
 * Valid for the scheduler's life; thread-safe.
 */
public interface SchedulingContext extends PluginContext {

    /** The scheduler profile's {@code schedulerName} this plugin serves. */
    String schedulerName();

    /** The snapshot of nodes of the current cycle; plugins read it instead of the API server. */
    NodeInfoLister snapshot();

    /** The API server, for the points that may block (PostFilter, PreBind, Bind). */
    ApiClient client();

    /** Records Events about pods ({@code Scheduled}, {@code FailedScheduling}, {@code Preempted}). */
    EventRecorder eventRecorder();

    /** How many nodes Filter and Score may check at once (the profile's {@code parallelism}, default 16). */
    int parallelism();

    /** The pod with {@code uid} if it is waiting at Permit. */
    Optional<WaitingPod> waitingPod(String uid);

    /** Every pod waiting at Permit now. */
    List<WaitingPod> waitingPods();

    /**
     * Runs the profile's Filter plugins for {@code pod} on {@code nodeInfo}, also counting the
     * pods nominated to that node with at least the pod's priority, as the scheduler does for
     * real. Preemption uses it to test what-if NodeInfos; {@code state} must be a copy the caller
     * owns. No I/O.
     */
    Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo);

    /**
     * The pending pods nominated to {@code nodeName} (their {@code status.nominatedNodeName}, or a
     * nomination preemption made in this scheduler and not yet written back), in no particular order.
     * No I/O; thread-safe.
     */
    default List<PodInfo> nominatedPodsForNode(String nodeName) {
        return List.of();
    }

    /**
     * Runs the PreFilter plugins' {@link PreFilterExtensions#addPod} on {@code state} (a copy the
     * caller owns), for preemption's what-ifs: {@code podToAdd} now counts on {@code nodeInfo}'s
     * node. The first failure is returned, naming its plugin. No I/O.
     */
    default Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return Status.success();
    }

    /** Like {@link #runPreFilterExtensionAddPod}, for {@code podToRemove} gone from {@code nodeInfo}'s node. */
    default Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove,
                                                  NodeInfo nodeInfo) {
        return Status.success();
    }
}
