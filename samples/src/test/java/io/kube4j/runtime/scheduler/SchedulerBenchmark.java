package io.kube4j.runtime.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.runtime.profile.SchedulerProfile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduling framework alone, in-process: N nodes and M pods shaped like ApiLoad's
 * {@code schedule} ones go through the default profile's plugins (kube-scheduler's defaults, from
 * {@code samples/profiles/single-node.yaml}) and the scheduler's cache, without the API server.
 * Each cycle does what {@code Scheduler.schedulePod} does on the happy path: snapshot, PreFilter,
 * Filter over the adaptive share of nodes in parallel from where the last cycle stopped, PreScore,
 * Score, pick among the best at random, assume, Reserve, Permit; the binding is confirmed at once,
 * as the informer would. Prints one {@code op=framework} line. Bounded by the pod count and by
 * {@code maxSeconds}.
 *
 * <pre>{@code
 * mvn -B -q -o -pl samples -am verify -Dtest=SchedulerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.nodes=5000 -Dbench.pods=10000
 * }</pre>
 */
public class SchedulerBenchmark {

    /** What one run measured. */
    public record Result(int nodes, int pods, int scheduled, double seconds, double cpuSeconds, int perNodeMin,
                         int perNodeMax, int parallelism) {
        public double podsPerSecond() {
            return scheduled / seconds;
        }

        public String line() {
            return String.format(java.util.Locale.ROOT, "op=framework nodes=%d pods=%d scheduled=%d parallelism=%d elapsed_s=%.2f"
                            + " throughput=%.1f cpu_ms_per_pod=%.3f per_node_min=%d per_node_max=%d", nodes, pods, scheduled,
                    parallelism, seconds, podsPerSecond(), cpuSeconds * 1000 / Math.max(1, scheduled), perNodeMin, perNodeMax);
        }
    }

    /** Warms up with {@code warmupPods} on a fresh cache, then measures {@code pods} on another. */
    public static Result run(int nodes, int pods, int warmupPods, double maxSeconds) {
        if (warmupPods > 0) {
            runOnce(nodes, warmupPods, maxSeconds);
        }
        return runOnce(nodes, pods, maxSeconds);
    }

    private static Result runOnce(int nodeCount, int podCount, double maxSeconds) {
        SchedulerProfile config = defaultProfile();
        SchedulerCache cache = new SchedulerCache();
        NodeInfoLister[] current = {new SchedulerCache.Snapshot(List.of())};
        PodNominator nominator = new PodNominator();
        RuntimeSchedulingContext context = new RuntimeSchedulingContext("default-scheduler", () -> current[0], () -> {
            throw new IllegalStateException("no API server in the framework benchmark");
        }, EventRecorder.discarding(), config.parallelism(), Path.of("."), Clock.systemUTC(), nominator);
        PluginRegistry registry = PluginRegistry.discover(Optional.empty());
        Framework framework = new FrameworkBuilder(registry, new PluginBinder(registry, "single-node.yaml"))
                .build(config.profiles().getFirst(), 0, context);
        context.framework(framework);
        Parallelizer parallelizer = new Parallelizer(config.parallelism());

        for (int i = 0; i < nodeCount; i++) {
            cache.addOrUpdateNode(node(String.format("node-%05d", i), i));
        }
        Map<String, Integer> perNode = new HashMap<>();
        int[] nextStart = {0};
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        int scheduled = 0;
        for (int i = 0; i < podCount && System.nanoTime() < deadline; i++) {
            Pod pod = pod(String.format("sp-%06d", i), i);
            SchedulerCache.Snapshot snapshot = cache.snapshot();
            current[0] = snapshot;
            CycleState state = new CycleState();
            Optional<String> node = schedule(framework, config, parallelizer, state, pod, snapshot, nominator, nextStart);
            if (node.isEmpty()) {
                continue;
            }
            Pod assumed = new PodBuilder(pod).editSpec().withNodeName(node.get()).endSpec().build();
            cache.assume(PodInfos.of(assumed), node.get());
            if (!framework.runReserve(state, assumed, node.get()).isSuccess()
                    || !framework.runPermit(state, assumed, node.get()).isSuccess()) {
                throw new IllegalStateException("Reserve or Permit failed for " + pod.getMetadata().getName());
            }
            cache.addOrUpdatePod(assumed);
            perNode.merge(node.get(), 1, Integer::sum);
            scheduled++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        IntSummaryStatistics spread = new IntSummaryStatistics();
        for (int i = 0; i < nodeCount; i++) {
            spread.accept(perNode.getOrDefault(String.format("node-%05d", i), 0));
        }
        return new Result(nodeCount, podCount, scheduled, seconds, cpuSeconds, spread.getMin(), spread.getMax(),
                config.parallelism());
    }

    /** Scheduler.schedulePod's happy path (no nominated pods, no preemption). */
    private static Optional<String> schedule(Framework framework, SchedulerProfile config, Parallelizer parallelizer,
                                             CycleState state, Pod pod, SchedulerCache.Snapshot snapshot,
                                             PodNominator nominator, int[] nextStart) {
        List<NodeInfo> all = snapshot.nodes();
        PreFilterResult preFilter = framework.runPreFilter(state, pod);
        if (!preFilter.status().isSuccess() || !preFilter.isAllNodes()) {
            throw new IllegalStateException("PreFilter: " + preFilter.status().message());
        }
        int n = all.size();
        int wanted = Scheduler.numFeasibleNodesToFind(config.percentageOfNodesToScore(), n);
        int start = nextStart[0] % n;
        NodeInfo[] found = new NodeInfo[n];
        AtomicInteger feasibleCount = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        parallelizer.until(n, () -> feasibleCount.get() >= wanted, i -> {
            NodeInfo node = all.get((start + i) % n);
            Status status = framework.runFilterWithNominatedPods(state, pod, node, nominator.podsForNode(node.nodeName()));
            processed.incrementAndGet();
            if (status.isSuccess() && feasibleCount.incrementAndGet() <= wanted) {
                found[i] = node;
            }
        });
        nextStart[0] = (start + processed.get()) % n;
        List<NodeInfo> feasible = new ArrayList<>();
        for (NodeInfo node : found) {
            if (node != null) {
                feasible.add(node);
            }
        }
        if (feasible.isEmpty()) {
            return Optional.empty();
        }
        if (feasible.size() == 1) {
            return Optional.of(feasible.getFirst().nodeName());
        }
        if (!framework.runPreScore(state, pod, feasible).isSuccess()) {
            throw new IllegalStateException("PreScore failed");
        }
        List<NodeScore> scores = framework.runScore(state, pod, feasible, parallelizer);
        return Optional.of(Scheduler.selectHost(scores));
    }

    private static SchedulerProfile defaultProfile() {
        ClusterProfile profile = ProfileLoader.parse("bench.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: bench}
                scheduler:
                  parallelism: %d
                  profiles:
                    - schedulerName: default-scheduler
                """.formatted(Integer.getInteger("bench.parallelism", 16)));
        return profile.scheduler().orElseThrow();
    }

    /** Like ApiLoad's nodes: 4 CPUs, 16 GiB, 110 pods, three zones. */
    private static Node node(String name, int i) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                        "topology.kubernetes.io/zone", "zone-" + (i % 3)))
                .endMetadata().withNewSpec().endSpec()
                .withNewStatus().withAllocatable(resources).withCapacity(resources)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    /** Like ApiLoad's pods: one container asking 100m and 128Mi, the default tolerations. */
    private static Pod pod(String name, int i) {
        return new PodBuilder().withNewMetadata().withNamespace("bench").withName(name)
                .withLabels(Map.of("app", "apiload", "shard", String.valueOf(i % 16))).endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler").withPriority(0)
                .addNewContainer().withName("app").withImage("registry.k8s.io/pause:3.9")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")))
                .endResources().endContainer()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(300L).endToleration()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(300L).endToleration()
                .endSpec().build();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Runs with {@code -Dbench.nodes} (default 1000), {@code -Dbench.pods} (10000), {@code -Dbench.maxSeconds} (120),
     * {@code -Dbench.parallelism} (the profile's, default 16).
     */
    @org.junit.jupiter.api.Test
    void benchmark() {
        int nodes = Integer.getInteger("bench.nodes", 1000);
        int pods = Integer.getInteger("bench.pods", 10_000);
        double maxSeconds = Double.parseDouble(System.getProperty("bench.maxSeconds", "120"));
        Result result = run(nodes, pods, Math.min(pods, 3000), maxSeconds);
        System.out.println(result.line());
    }
}
