package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PostFilterResult;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.api.scheduling.Status;
import io.kube4j.runtime.event.ApiEventRecorder;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.Indexers;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.informer.ListWatchInformer;
import io.kube4j.runtime.leaderelection.LeaderCallbacks;
import io.kube4j.runtime.leaderelection.LeaderElectionConfig;
import io.kube4j.runtime.leaderelection.LeaderElector;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.SchedulerProfile;
import io.kube4j.runtime.scheduler.queue.SchedulingQueue;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler component: watches Pods and Nodes through the API server, keeps a queue of the
 * pending pods whose {@code spec.schedulerName} is one of its profiles, and runs one scheduling
 * cycle at a time (PreFilter → Filter over nodes in parallel → PreScore → Score → pick the best
 * node, ties broken at random → Reserve → Permit), then the pod's binding cycle (PreBind → Bind →
 * PostBind) on a virtual thread of its own so that the next cycle does not wait for the API server.
 * With leader election on, it schedules only while it holds the Lease {@code kube-system/kube-scheduler}.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    static final String LEASE_NAME = "kube-scheduler";
    private static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    private static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final SchedulerProfile config;
    private final ApiClient client;
    private final Clock clock;
    private final Map<String, Framework> frameworks;
    private final Map<String, ApiEventRecorder> recorders;
    private final SchedulerCache cache = new SchedulerCache();
    private final PodNominator nominator = new PodNominator();
    private final SchedulingQueue queue;
    private final Parallelizer parallelizer;
    private final DefaultSharedInformerFactory informers;
    private final ListWatchInformer<Pod> pods;
    private final ListWatchInformer<Node> nodes;
    private final Optional<LeaderElector> elector;
    private final SchedulingAttempts attempts;
    private final SchedulerServer server;
    private final ExecutorService binders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("scheduler-bind-", 0).factory());
    private final Map<String, Boolean> conditionUpdates = new ConcurrentHashMap<>();
    /** Bindings and status writes in flight at once: beyond this they wait, rather than flood the API server. */
    private final java.util.concurrent.Semaphore apiWrites = new java.util.concurrent.Semaphore(32);
    private volatile NodeInfoLister currentSnapshot = new SchedulerCache.Snapshot(List.of());
    private volatile boolean leading;
    private volatile boolean closed;
    private volatile Thread loop;
    private int nextStartNodeIndex;

    private Scheduler(SchedulerProfile config, PluginRegistry registry, PluginBinder binder, ApiClient client,
                      PluginContext pluginContext) {
        this.config = requireNonNull(config, "config is null");
        this.client = requireNonNull(client, "client is null");
        this.clock = pluginContext.clock();
        this.parallelizer = new Parallelizer(config.parallelism());
        FrameworkBuilder builder = new FrameworkBuilder(registry, binder);
        Map<String, Framework> built = new LinkedHashMap<>();
        Map<String, ApiEventRecorder> eventRecorders = new LinkedHashMap<>();
        for (int i = 0; i < config.profiles().size(); i++) {
            SchedulerProfile.SchedulerProfileEntry entry = config.profiles().get(i);
            ApiEventRecorder recorder = new ApiEventRecorder(client, entry.schedulerName(), "", clock);
            eventRecorders.put(entry.schedulerName(), recorder);
            RuntimeSchedulingContext context = new RuntimeSchedulingContext(entry.schedulerName(), () -> currentSnapshot,
                    () -> client, recorder, config.parallelism(), pluginContext.dataDir(), clock, nominator);
            Framework framework = builder.build(entry, i, context);
            context.framework(framework);
            built.put(entry.schedulerName(), framework);
        }
        this.frameworks = Map.copyOf(built);
        this.recorders = eventRecorders;
        Framework first = built.values().iterator().next();
        Comparator<QueuedPodInfo> order = first.queueSort().comparator();
        this.queue = SchedulingQueue.withDefaults(order, pod -> {
            Framework f = frameworks.get(schedulerName(pod.pod()));
            return f == null ? Optional.empty() : f.runPreEnqueue(pod.pod()).failedPlugin();
        }, clock);
        this.informers = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT);
        this.pods = informers.informerFor(Pod.class);
        this.pods.addIndexer(Indexers.NODE_NAME, Indexers.podsByNode());
        this.nodes = informers.informerFor(Node.class);
        this.attempts = new SchedulingAttempts(clock, SchedulingAttempts.DEFAULT_CAPACITY, queue, frameworks.keySet());
        this.server = new SchedulerServer(config.host(), config.port(), attempts, this::isLeading);
        this.elector = config.leaderElection().leaderElect()
                ? Optional.of(new LeaderElector(client, LeaderElectionConfig.defaults(LEASE_NAME, identity()), new Callbacks()))
                : Optional.empty();
    }

    /**
     * Builds the scheduler of {@code config} (plugins created, profile errors thrown here) and
     * starts it: informers at once, scheduling once the caches synced and, with leader election,
     * once it leads. The scheduler owns {@code client} and closes it.
     */
    public static Scheduler start(SchedulerProfile config, PluginRegistry registry, PluginBinder binder, ApiClient client,
                                  PluginContext pluginContext) {
        Scheduler scheduler;
        try {
            scheduler = new Scheduler(config, registry, binder, client, pluginContext);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        try {
            scheduler.begin();
        } catch (RuntimeException e) {
            scheduler.close();
            throw e;
        }
        return scheduler;
    }

    /** Checks the scheduler section against the plugins there are, creating each plugin once: {@code kube4j profile check}. */
    public static void check(SchedulerProfile config, PluginRegistry registry, PluginBinder binder, PluginContext pluginContext) {
        FrameworkBuilder builder = new FrameworkBuilder(registry, binder);
        for (int i = 0; i < config.profiles().size(); i++) {
            SchedulerProfile.SchedulerProfileEntry entry = config.profiles().get(i);
            RuntimeSchedulingContext context = new RuntimeSchedulingContext(entry.schedulerName(),
                    () -> new SchedulerCache.Snapshot(List.of()), () -> {
                        throw new IllegalStateException("the scheduler is not running (profile check)");
                    }, EventRecorder.discarding(), config.parallelism(), pluginContext.dataDir(), pluginContext.clock(),
                    new PodNominator());
            context.framework(builder.build(entry, i, context));
        }
    }

    /** The framework of each profile, by scheduler name. */
    public Map<String, Framework> frameworks() {
        return frameworks;
    }

    /** Whether this scheduler is scheduling now (it leads, or runs without leader election). */
    public boolean isLeading() {
        return leading;
    }

    SchedulingQueue queue() {
        return queue;
    }

    /** Where the scheduler serves {@code /metrics}, {@code /healthz} and {@code /debug/pods/...} (plain HTTP). */
    public java.net.InetSocketAddress httpAddress() {
        return server.address();
    }

    private void begin() {
        server.start();
        pods.addEventHandler(new PodHandler());
        nodes.addEventHandler(new NodeHandler());
        informers.start();
        if (elector.isPresent()) {
            elector.get().start();
        } else {
            Thread.ofVirtual().name("scheduler-loop").start(this::lead);
        }
    }

    private static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    private final class Callbacks implements LeaderCallbacks {
        @Override
        public void onStartedLeading() {
            lead();
        }

        @Override
        public void onStoppedLeading() {
            leading = false;
            Thread t = loop;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** Schedules pods until leadership is lost or the scheduler closes. */
    private void lead() {
        loop = Thread.currentThread();
        leading = true;
        try {
            if (!informers.waitForCacheSync(SYNC_TIMEOUT)) {
                log.warn("scheduler: informer caches did not sync within {}; scheduling anyway", SYNC_TIMEOUT);
            }
            log.info("scheduler: leading, scheduling pods of {}", frameworks.keySet());
            new SchedulerEndpoints(client).announce(server.address());
            while (leading && !closed) {
                scheduleOne();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("scheduler: the scheduling loop failed", e);
        } finally {
            leading = false;
            loop = null;
        }
    }

    // ---- informer events

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (isAssigned(pod)) {
                cache.addOrUpdatePod(pod);
                queue.delete(key(pod));
                nominator.delete(key(pod));
            } else if (responsibleFor(pod)) {
                PodInfo info = PodInfos.of(pod);
                nominator.update(Optional.empty(), info);
                queue.add(info);
            }
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            if (isAssigned(newPod)) {
                cache.addOrUpdatePod(newPod);
                queue.delete(key(newPod));
                nominator.delete(key(newPod));
                if (isTerminal(newPod) && !isTerminal(oldPod)) {
                    // A finished pod no longer holds its node's resources.
                    clusterEvent(ClusterEvent.of(ClusterEvent.POD, ActionType.UPDATE_POD_SCALE_DOWN), Optional.of(oldPod),
                            Optional.of(newPod));
                }
            } else if (responsibleFor(newPod)) {
                nominator.update(Optional.of(oldPod), PodInfos.of(newPod));
                // The scheduler's own status writes (PodScheduled) must not send an unschedulable pod round again.
                if (!Objects.equals(oldPod.getSpec(), newPod.getSpec())
                        || !Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())
                        || !Objects.equals(oldPod.getMetadata().getAnnotations(), newPod.getMetadata().getAnnotations())) {
                    queue.update(PodInfos.of(newPod));
                }
            } else {
                queue.delete(key(newPod));
                nominator.delete(key(newPod));
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            if (isAssigned(pod) || cache.isAssumed(key(pod))) {
                cache.removePod(pod);
                clusterEvent(ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE), Optional.of(pod), Optional.empty());
            }
            queue.delete(key(pod));
            nominator.delete(key(pod));
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            cache.addOrUpdateNode(node);
            clusterEvent(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD), Optional.empty(), Optional.of(node));
        }

        @Override
        public void onUpdate(Node oldNode, Node newNode) {
            cache.addOrUpdateNode(newNode);
            Set<ActionType> changes = nodeChanges(oldNode, newNode);
            if (!changes.isEmpty()) {
                clusterEvent(new ClusterEvent(ClusterEvent.NODE, changes), Optional.of(oldNode), Optional.of(newNode));
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            cache.removeNode(node);
        }
    }

    /** Moves the unschedulable pods this event may help, as their rejecting plugins' hints say. */
    private void clusterEvent(ClusterEvent event, Optional<HasMetadata> oldObject, Optional<HasMetadata> newObject) {
        queue.moveToActiveOrBackoff(event, pod -> {
            Framework framework = frameworks.get(schedulerName(pod.podInfo().pod()));
            return framework == null || framework.worthRetrying(pod, event, oldObject, newObject);
        });
    }

    /**
     * What changed in a Node that scheduling cares about, as kube-scheduler tells node updates
     * apart; empty for a change that cannot matter (a heartbeat).
     */
    static Set<ActionType> nodeChanges(Node oldNode, Node newNode) {
        Set<ActionType> changes = EnumSet.noneOf(ActionType.class);
        if (!Objects.equals(allocatable(oldNode), allocatable(newNode))) {
            changes.add(ActionType.UPDATE_NODE_ALLOCATABLE);
        }
        if (!Objects.equals(oldNode.getMetadata().getLabels(), newNode.getMetadata().getLabels())) {
            changes.add(ActionType.UPDATE_NODE_LABEL);
        }
        if (!Objects.equals(oldNode.getMetadata().getAnnotations(), newNode.getMetadata().getAnnotations())) {
            changes.add(ActionType.UPDATE_NODE_ANNOTATION);
        }
        // spec.unschedulable is a taint to the scheduler, as in kube-scheduler.
        if (!Objects.equals(oldNode.getSpec() == null ? null : oldNode.getSpec().getTaints(),
                newNode.getSpec() == null ? null : newNode.getSpec().getTaints())
                || !Objects.equals(oldNode.getSpec() == null ? null : oldNode.getSpec().getUnschedulable(),
                newNode.getSpec() == null ? null : newNode.getSpec().getUnschedulable())) {
            changes.add(ActionType.UPDATE_NODE_TAINT);
        }
        if (!conditions(oldNode).equals(conditions(newNode))) {
            changes.add(ActionType.UPDATE_NODE_CONDITION);
        }
        return changes;
    }

    private static Object allocatable(Node node) {
        return node.getStatus() == null ? null : node.getStatus().getAllocatable();
    }

    /** Type, status and reason of each condition: heartbeat times do not count. */
    private static List<String> conditions(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return List.of();
        }
        return node.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).sorted().toList();
    }

    private boolean responsibleFor(Pod pod) {
        return frameworks.containsKey(schedulerName(pod)) && !isTerminal(pod);
    }

    private static String schedulerName(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return name == null || name.isEmpty() ? SchedulerProfile.DEFAULT_SCHEDULER_NAME : name;
    }

    private static boolean isAssigned(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static String key(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return (ns == null ? "" : ns) + "/" + pod.getMetadata().getName();
    }

    // ---- the scheduling cycle

    /** One cycle: the next pod, waiting up to a second for one. */
    void scheduleOne() throws InterruptedException {
        Optional<QueuedPodInfo> popped = queue.pop(Duration.ofSeconds(1));
        if (popped.isEmpty()) {
            return;
        }
        QueuedPodInfo queued = popped.get();
        long cycle = queue.schedulingCycle();
        PodInfo queuedInfo = queued.podInfo();
        Optional<Pod> current = pods.lister().get(queuedInfo.namespace(), queuedInfo.name());
        if (current.isEmpty() || isAssigned(current.get()) || current.get().getMetadata().getDeletionTimestamp() != null) {
            queue.delete(queuedInfo.key());
            return;
        }
        Pod pod = current.get();
        Framework framework = frameworks.get(schedulerName(pod));
        if (framework == null) {
            queue.delete(queuedInfo.key());
            return;
        }
        PodInfo podInfo = PodInfos.of(pod);
        SchedulerCache.Snapshot snapshot = cache.snapshot();
        currentSnapshot = snapshot;
        CycleState state = new CycleState();
        attempts.started(state);
        Outcome outcome;
        try {
            outcome = schedulePod(framework, state, pod, snapshot);
        } catch (Framework.ScoringException e) {
            outcome = new Outcome.Failed(e.status());
        } catch (RuntimeException e) {
            log.warn("scheduler: cycle of {} failed", podInfo.key(), e);
            outcome = new Outcome.Failed(Status.error(e));
        }
        QueuedPodInfo info = withPod(queued, podInfo);
        switch (outcome) {
            case Outcome.Unfit unfit -> {
                FitError error = unfit.error();
                Optional<String> nominated = Optional.empty();
                if (framework.hasPostFilterPlugins() && !error.nodeStatuses().isEmpty()) {
                    attempts.preemptionAttempted();
                    PostFilterResult post = framework.runPostFilter(state, pod, error.nodeToStatus());
                    nominated = post.nominatedNodeName();
                    // Counted at once, so that the next cycles leave the room preemption made to this pod.
                    nominated.ifPresent(node -> nominator.add(podInfo, node));
                    if (!post.status().isSuccess()) {
                        error = error.withPostFilterMsg(post.status().message());
                    }
                }
                String message = error.message();
                QueuedPodInfo rejected = new QueuedPodInfo(podInfo, info.timestamp(), info.attempts(),
                        info.initialAttemptTimestamp(), error.unschedulablePlugins(), Set.of(), Optional.empty());
                log.info("scheduler: unable to schedule {}: {}", podInfo.key(), message);
                attempts.unschedulable(framework, info, state, error, message);
                queue.addUnschedulable(rejected, cycle);
                reportFailure(framework, pod, "Unschedulable", message, nominated);
            }
            case Outcome.Failed failed -> {
                String message = failed.status().message();
                attempts.failed(framework, info, state, failed.status(), Optional.empty());
                if (failed.status().isRejected()) {
                    queue.addUnschedulable(info, cycle);
                    reportFailure(framework, pod, "Unschedulable", message);
                } else {
                    log.warn("scheduler: error scheduling {}: {}", podInfo.key(), message);
                    queue.addBackoff(info);
                    reportFailure(framework, pod, "SchedulerError", message);
                }
            }
            case Outcome.Selected selected -> assumeAndBind(framework, state, pod, info, cycle, selected.nodeName());
        }
    }

    private sealed interface Outcome {
        record Selected(String nodeName) implements Outcome {
        }

        record Unfit(FitError error) implements Outcome {
        }

        record Failed(Status status) implements Outcome {
        }
    }

    private Outcome schedulePod(Framework framework, CycleState state, Pod pod, SchedulerCache.Snapshot snapshot) {
        List<NodeInfo> all = snapshot.nodes();
        if (all.isEmpty()) {
            return new Outcome.Failed(Status.unschedulable("no nodes available to schedule pods"));
        }
        PreFilterResult preFilter = framework.runPreFilter(state, pod);
        if (!preFilter.status().isSuccess()) {
            Status status = preFilter.status();
            if (!status.isRejected()) {
                return new Outcome.Failed(status);
            }
            return new Outcome.Unfit(new FitError(all.size(), Map.of(), Optional.of(status), Optional.of(status.message())));
        }
        List<NodeInfo> candidates = all;
        Optional<Status> absent = Optional.empty();
        if (!preFilter.isAllNodes()) {
            Set<String> allowed = preFilter.nodeNames().orElseThrow();
            candidates = all.stream().filter(n -> allowed.contains(n.nodeName())).toList();
            absent = Optional.of(Status.unschedulableAndUnresolvable("node(s) didn't satisfy plugin(s) at PreFilter"));
            if (candidates.isEmpty()) {
                return new Outcome.Unfit(new FitError(all.size(), Map.of(), absent, Optional.empty()));
            }
        }
        // A pod preemption made room for tries that node first, as kube-scheduler's evaluateNominatedNode.
        String nominatedNode = PodNominator.nominatedNodeName(pod);
        if (!nominatedNode.isEmpty()) {
            for (NodeInfo node : candidates) {
                if (node.nodeName().equals(nominatedNode) && framework.runFilterWithNominatedPods(state, pod, node,
                        nominator.podsForNode(nominatedNode)).isSuccess()) {
                    return new Outcome.Selected(nominatedNode);
                }
            }
        }
        Map<String, Status> statuses = new ConcurrentHashMap<>();
        List<NodeInfo> feasible = findFeasible(framework, state, pod, candidates, statuses);
        SchedulingAttempts.filtered(state, all.size(), statuses, feasible, absent);
        if (feasible.isEmpty()) {
            return new Outcome.Unfit(new FitError(all.size(), statuses, absent, Optional.empty()));
        }
        if (feasible.size() == 1) {
            return new Outcome.Selected(feasible.getFirst().nodeName());
        }
        Status preScore = framework.runPreScore(state, pod, feasible);
        if (!preScore.isSuccess()) {
            return new Outcome.Failed(preScore);
        }
        List<NodeScore> scores = framework.runScore(state, pod, feasible, parallelizer);
        return new Outcome.Selected(selectHost(scores));
    }

    /** Filters nodes in parallel, starting where the last cycle stopped, until enough feasible ones are found. */
    private List<NodeInfo> findFeasible(Framework framework, CycleState state, Pod pod, List<NodeInfo> nodes,
                                        Map<String, Status> statuses) {
        int n = nodes.size();
        int wanted = numFeasibleNodesToFind(n);
        int start = nextStartNodeIndex % n;
        NodeInfo[] found = new NodeInfo[n];
        AtomicInteger feasibleCount = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        parallelizer.until(n, () -> feasibleCount.get() >= wanted, i -> {
            NodeInfo node = nodes.get((start + i) % n);
            Status status = framework.runFilterWithNominatedPods(state, pod, node, nominator.podsForNode(node.nodeName()));
            processed.incrementAndGet();
            if (status.isSuccess()) {
                if (feasibleCount.incrementAndGet() <= wanted) {
                    found[i] = node;
                }
            } else {
                statuses.put(node.nodeName(), status);
            }
        });
        nextStartNodeIndex = (start + processed.get()) % n;
        List<NodeInfo> feasible = new ArrayList<>();
        for (NodeInfo node : found) {
            if (node != null) {
                feasible.add(node);
            }
        }
        for (Status status : statuses.values()) {
            if (status.code() == Status.Code.ERROR) {
                throw new IllegalStateException(status.failedPlugin().orElse("a filter plugin") + ": " + status.message());
            }
        }
        return feasible;
    }

    /** kube-scheduler's rule: all nodes below 100; else a percentage, adaptive when 0, but at least 100 nodes. */
    int numFeasibleNodesToFind(int numAllNodes) {
        return numFeasibleNodesToFind(config.percentageOfNodesToScore(), numAllNodes);
    }

    static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage == 0) {
            percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - numAllNodes / 125);
        }
        int nodes = numAllNodes * percentage / 100;
        return Math.max(nodes, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** The node with the highest total; among equal best ones, each is picked with the same chance. */
    static String selectHost(List<NodeScore> scores) {
        String best = scores.getFirst().name();
        long bestScore = scores.getFirst().score();
        int ties = 1;
        for (int i = 1; i < scores.size(); i++) {
            NodeScore s = scores.get(i);
            if (s.score() > bestScore) {
                best = s.name();
                bestScore = s.score();
                ties = 1;
            } else if (s.score() == bestScore) {
                ties++;
                if (ThreadLocalRandom.current().nextInt(ties) == 0) {
                    best = s.name();
                }
            }
        }
        return best;
    }

    private void assumeAndBind(Framework framework, CycleState state, Pod pod, QueuedPodInfo info, long cycle, String nodeName) {
        Pod assumed = new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
        PodInfo assumedInfo = PodInfos.of(assumed);
        attempts.selected(framework, info, state, nodeName);
        cache.assume(assumedInfo, nodeName);
        nominator.delete(assumedInfo.key());
        Status reserve = framework.runReserve(state, assumed, nodeName);
        if (!reserve.isSuccess()) {
            unwind(framework, state, assumed, assumedInfo, nodeName);
            attempts.failed(framework, info, state, reserve, Optional.of(nodeName));
            fail(framework, pod, info, cycle, reserve);
            return;
        }
        Status permit = framework.runPermit(state, assumed, nodeName);
        if (permit.isWait()) {
            // Parked at Permit: the binding cycle waits for the plugins' decision, holding no API write slot.
            framework.waitingPods().get(uid(assumed)).ifPresent(w ->
                    attempts.waiting(framework, info, state, nodeName, w.pendingPlugins()));
            if (!waitThenBind(framework, state, pod, assumed, assumedInfo, info, cycle, nodeName)) {
                framework.waitingPods().cancel(assumed, "the scheduler is stopping");
                unwind(framework, state, assumed, assumedInfo, nodeName);
            }
            return;
        }
        if (!permit.isSuccess()) {
            unwind(framework, state, assumed, assumedInfo, nodeName);
            attempts.failed(framework, info, state, permit, Optional.of(nodeName));
            fail(framework, pod, info, cycle, permit);
            return;
        }
        if (!async(() -> bindingCycle(framework, state, pod, assumed, assumedInfo, info, nodeName))) {
            unwind(framework, state, assumed, assumedInfo, nodeName);
        }
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid();
    }

    /** Waits on Permit off the scheduling thread, then binds; a rejection unreserves and requeues the pod. */
    private boolean waitThenBind(Framework framework, CycleState state, Pod pod, Pod assumed, PodInfo assumedInfo,
                                 QueuedPodInfo info, long cycle, String nodeName) {
        try {
            binders.execute(() -> {
                Status decision;
                try {
                    decision = framework.waitOnPermit(assumed);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    decision = Status.error("interrupted while waiting at Permit");
                }
                if (!decision.isSuccess()) {
                    unwind(framework, state, assumed, assumedInfo, nodeName);
                    attempts.failed(framework, info, state, decision, Optional.of(nodeName));
                    fail(framework, pod, info, cycle, decision);
                    return;
                }
                if (!async(() -> bindingCycle(framework, state, pod, assumed, assumedInfo, info, nodeName))) {
                    unwind(framework, state, assumed, assumedInfo, nodeName);
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private void bindingCycle(Framework framework, CycleState state, Pod pod, Pod assumed, PodInfo assumedInfo,
                              QueuedPodInfo info, String nodeName) {
        Status status = framework.runPreBind(state, assumed, nodeName);
        if (status.isSuccess()) {
            status = framework.runBind(state, assumed, nodeName);
        }
        if (!status.isSuccess()) {
            log.warn("scheduler: binding {} to {} failed: {}", assumedInfo.key(), nodeName, status.message());
            unwind(framework, state, assumed, assumedInfo, nodeName);
            attempts.failed(framework, info, state, Status.error("Binding rejected: " + status.message()),
                    Optional.of(nodeName));
            queue.addBackoff(info);
            reportFailure(framework, pod, "SchedulerError", "Binding rejected: " + status.message());
            return;
        }
        queue.done(assumedInfo.key());
        attempts.bound(framework, info, state, nodeName);
        log.info("scheduler: bound {} to {}", assumedInfo.key(), nodeName);
        recorder(framework).event(pod, EventType.NORMAL, "Scheduled", "Successfully assigned %s/%s to %s",
                assumedInfo.namespace(), assumedInfo.name(), nodeName);
        framework.runPostBind(state, assumed, nodeName);
    }

    private void unwind(Framework framework, CycleState state, Pod assumed, PodInfo assumedInfo, String nodeName) {
        framework.runUnreserve(state, assumed, nodeName);
        cache.forget(assumedInfo);
    }

    private void fail(Framework framework, Pod pod, QueuedPodInfo info, long cycle, Status status) {
        if (status.isRejected()) {
            queue.addUnschedulable(info, cycle);
            reportFailure(framework, pod, "Unschedulable", status.message());
        } else {
            queue.addBackoff(info);
            reportFailure(framework, pod, "SchedulerError", status.message());
        }
    }

    private EventRecorder recorder(Framework framework) {
        return recorders.get(framework.schedulerName());
    }

    /** The FailedScheduling event, and PodScheduled=False with the reason and message on the pod (off the scheduling thread). */
    private void reportFailure(Framework framework, Pod pod, String reason, String message) {
        reportFailure(framework, pod, reason, message, Optional.empty());
    }

    private void reportFailure(Framework framework, Pod pod, String reason, String message, Optional<String> nominated) {
        recorder(framework).event(pod, EventType.WARNING, "FailedScheduling", "%s", message);
        String key = key(pod);
        if (conditionUpdates.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        boolean started = async(() -> {
            try {
                updateCondition(pod, reason, message, nominated);
            } finally {
                conditionUpdates.remove(key);
            }
        });
        if (!started) {
            conditionUpdates.remove(key);
        }
    }

    /** Runs {@code task} on a binding thread of its own; false once the scheduler is closing. */
    private boolean async(Runnable task) {
        try {
            binders.execute(() -> {
                try {
                    apiWrites.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    task.run();
                } finally {
                    apiWrites.release();
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private void updateCondition(Pod pod, String reason, String message, Optional<String> nominated) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Pod> latest;
            try {
                latest = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            } catch (ApiException e) {
                log.warn("scheduler: cannot read {} to set PodScheduled: {}", key(pod), e.getMessage());
                return;
            }
            if (latest.isEmpty() || isAssigned(latest.get())) {
                return;
            }
            Pod current = latest.get();
            List<PodCondition> conditions = current.getStatus() == null || current.getStatus().getConditions() == null
                    ? new ArrayList<>() : new ArrayList<>(current.getStatus().getConditions());
            Optional<PodCondition> existing = conditions.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
            String nominatedNow = current.getStatus() == null ? null : current.getStatus().getNominatedNodeName();
            if (existing.isPresent() && "False".equals(existing.get().getStatus()) && reason.equals(existing.get().getReason())
                    && message.equals(existing.get().getMessage())
                    && (nominated.isEmpty() || nominated.get().equals(nominatedNow))) {
                return;
            }
            String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
            PodCondition condition = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                    .withReason(reason).withMessage(message)
                    .withLastTransitionTime(existing.filter(c -> "False".equals(c.getStatus()))
                            .map(PodCondition::getLastTransitionTime).orElse(now))
                    .build();
            conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
            conditions.add(condition);
            Pod updated = new PodBuilder(current).editOrNewStatus().withConditions(conditions)
                    .withNominatedNodeName(nominated.orElse(nominatedNow)).endStatus().build();
            try {
                client.updateStatus(updated);
                return;
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    log.warn("scheduler: cannot set PodScheduled on {}: {}", key(pod), e.getMessage());
                    return;
                }
            }
        }
    }

    private static QueuedPodInfo withPod(QueuedPodInfo queued, PodInfo pod) {
        return new QueuedPodInfo(pod, queued.timestamp(), queued.attempts(), queued.initialAttemptTimestamp(),
                queued.unschedulablePlugins(), queued.pendingPlugins(), queued.gatingPlugin());
    }

    /** Stops scheduling, hands the lease over, waits briefly for bindings under way, and closes the watches. */
    @Override
    public void close() {
        closed = true;
        leading = false;
        queue.close();
        elector.ifPresent(LeaderElector::close);
        Thread t = loop;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        frameworks.values().forEach(f -> f.waitingPods().rejectAll("the scheduler is stopping"));
        binders.shutdown();
        try {
            if (!binders.awaitTermination(5, TimeUnit.SECONDS)) {
                binders.shutdownNow();
            }
        } catch (InterruptedException e) {
            binders.shutdownNow();
            Thread.currentThread().interrupt();
        }
        recorders.values().forEach(r -> r.close(Duration.ofSeconds(2)));
        informers.close();
        server.close();
        client.close();
    }
}
