package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The framework handle of one profile: the snapshot of the running cycle, the client, the recorder, the nominated pods. */
final class RuntimeSchedulingContext implements SchedulingContext {
    private final String schedulerName;
    private final Supplier<NodeInfoLister> snapshot;
    private final Supplier<ApiClient> client;
    private final EventRecorder recorder;
    private final int parallelism;
    private final Path dataDir;
    private final Clock clock;
    private final PodNominator nominator;
    private volatile Framework framework;

    RuntimeSchedulingContext(String schedulerName, Supplier<NodeInfoLister> snapshot, Supplier<ApiClient> client,
                             EventRecorder recorder, int parallelism, Path dataDir, Clock clock, PodNominator nominator) {
        this.schedulerName = requireNonNull(schedulerName, "schedulerName is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.client = requireNonNull(client, "client is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.parallelism = parallelism;
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.nominator = requireNonNull(nominator, "nominator is null");
    }

    /** The framework its plugins belong to, known once they are all created. */
    void framework(Framework value) {
        this.framework = requireNonNull(value, "value is null");
    }

    @Override
    public String schedulerName() {
        return schedulerName;
    }

    @Override
    public NodeInfoLister snapshot() {
        return snapshot.get();
    }

    @Override
    public ApiClient client() {
        return client.get();
    }

    @Override
    public EventRecorder eventRecorder() {
        return recorder;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public Optional<WaitingPod> waitingPod(String uid) {
        return framework().waitingPods().get(uid);
    }

    @Override
    public List<WaitingPod> waitingPods() {
        return framework().waitingPods().all();
    }

    @Override
    public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
        return framework().runFilterWithNominatedPods(state, pod, nodeInfo, nominator.podsForNode(nodeInfo.nodeName()));
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        return nominator.podsForNode(nodeName);
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
        return framework().runPreFilterExtensionAddPod(state, podToSchedule, podToAdd, nodeInfo);
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove,
                                                 NodeInfo nodeInfo) {
        return framework().runPreFilterExtensionRemovePod(state, podToSchedule, podToRemove, nodeInfo);
    }

    private Framework framework() {
        Framework f = framework;
        if (f == null) {
            throw new IllegalStateException("the framework of " + schedulerName + " is still being built");
        }
        return f;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
