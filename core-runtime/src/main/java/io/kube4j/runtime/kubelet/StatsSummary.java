package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStats;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.PodSandbox;
import io.kube4j.api.node.PodSandboxFilter;
import io.kube4j.api.node.PodSandboxState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kubelet's {@code /stats/summary}, shaped as its {@code stats/v1alpha1} Summary: the node's
 * CPU (from {@code /proc/stat}) and memory (from {@code /proc/meminfo}, as the kubelet reads the root
 * cgroup: usage is total minus free, the working set is usage minus inactive file pages, available
 * is total minus the working set), and each ready pod's running containers as the runtime measures
 * them ({@link ContainerRuntime#containerStats}), summed per pod. {@code usageNanoCores} is the
 * rate between two readings at least {@link #MIN_INTERVAL} apart: {@link #sample()} takes one
 * with each heartbeat, so that a rate is there when someone asks. Thread-safe.
 */
final class StatsSummary {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final long TICKS_PER_SECOND = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "";

    private final String nodeName;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Path proc;
    private final java.util.function.LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    /** The last reading used for a rate, and the rate, by container id ({@link #NODE} for the node). */
    private final Map<String, Reading> readings = new HashMap<>();

    private record Reading(long nanoTime, long coreNanos, OptionalLong rate) {
    }

    StatsSummary(String nodeName, ContainerRuntime runtime, Clock clock, Path proc) {
        this(nodeName, runtime, clock, proc, System::nanoTime);
    }

    /** {@code nanoTime} is the monotonic clock the rates are measured with. */
    StatsSummary(String nodeName, ContainerRuntime runtime, Clock clock, Path proc, java.util.function.LongSupplier nanoTime) {
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.proc = requireNonNull(proc, "proc is null");
    }

    /** Takes a reading of the node and of every running container, for the rates of the next summary. */
    void sample() {
        summary();
    }

    /** The Summary as JSON. */
    byte[] json() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode summary() {
        lock.lock();
        try {
            return build();
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode build() {
        Instant now = clock.instant();
        long nano = nanoTime.getAsLong();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode node = root.putObject("node");
        node.put("nodeName", nodeName);
        bootTime().ifPresent(t -> node.put("startTime", t.toString()));
        nodeCpu().ifPresent(coreNanos -> cpu(node.putObject("cpu"), now, observe(NODE, nano, coreNanos), coreNanos));
        Map<String, Long> mem = meminfo();
        if (mem.containsKey("MemTotal") && mem.containsKey("MemFree")) {
            long total = mem.get("MemTotal");
            long usage = total - mem.get("MemFree");
            long workingSet = Math.max(0, usage - mem.getOrDefault("Inactive(file)", 0L));
            ObjectNode memory = node.putObject("memory");
            memory.put("time", now.toString());
            memory.put("availableBytes", Math.max(0, total - workingSet));
            memory.put("usageBytes", usage);
            memory.put("workingSetBytes", workingSet);
            memory.put("rssBytes", mem.getOrDefault("AnonPages", 0L));
        }
        ArrayNode pods = root.putArray("pods");
        Set<String> seen = new java.util.HashSet<>(Set.of(NODE));
        for (PodSandbox sandbox : runtime.listPodSandbox(new PodSandboxFilter(Optional.empty(),
                Optional.of(PodSandboxState.READY), Map.of()))) {
            ObjectNode pod = pods.addObject();
            ObjectNode ref = pod.putObject("podRef");
            ref.put("name", sandbox.metadata().name());
            ref.put("namespace", sandbox.metadata().namespace());
            ref.put("uid", sandbox.metadata().uid());
            pod.put("startTime", sandbox.createdAt().toString());
            ArrayNode containers = pod.putArray("containers");
            long podCpu = 0;
            long podRate = 0;
            boolean rates = true;
            long podWorkingSet = 0;
            long podRss = 0;
            for (var c : runtime.listContainers(new ContainerFilter(Optional.empty(), Optional.of(ContainerState.RUNNING),
                    Optional.of(sandbox.id()), Map.of()))) {
                Optional<ContainerStats> stats = runtime.containerStats(c.id());
                if (stats.isEmpty()) {
                    continue;
                }
                ContainerStats s = stats.get();
                seen.add(c.id());
                OptionalLong rate = observe(c.id(), nano, s.cpuUsageCoreNanoSeconds());
                ObjectNode container = containers.addObject();
                container.put("name", c.metadata().name());
                runtime.containerStatus(c.id()).flatMap(ContainerStatus::startedAt)
                        .ifPresent(t -> container.put("startTime", t.toString()));
                cpu(container.putObject("cpu"), s.timestamp(), rate, s.cpuUsageCoreNanoSeconds());
                memory(container.putObject("memory"), s.timestamp(), s.memoryWorkingSetBytes(), s.memoryRssBytes());
                podCpu += s.cpuUsageCoreNanoSeconds();
                podRate += rate.orElse(0);
                rates &= rate.isPresent();
                podWorkingSet += s.memoryWorkingSetBytes();
                podRss += s.memoryRssBytes();
            }
            if (!containers.isEmpty()) {
                cpu(pod.putObject("cpu"), now, rates ? OptionalLong.of(podRate) : OptionalLong.empty(), podCpu);
                memory(pod.putObject("memory"), now, podWorkingSet, podRss);
            }
        }
        readings.keySet().retainAll(seen);
        return root;
    }

    private static void cpu(ObjectNode cpu, Instant time, OptionalLong rate, long coreNanos) {
        cpu.put("time", time.toString());
        rate.ifPresent(r -> cpu.put("usageNanoCores", r));
        cpu.put("usageCoreNanoSeconds", coreNanos);
    }

    private static void memory(ObjectNode memory, Instant time, long workingSet, long rss) {
        memory.put("time", time.toString());
        memory.put("usageBytes", workingSet);
        memory.put("workingSetBytes", workingSet);
        memory.put("rssBytes", rss);
    }

    /** Notes a reading of cumulative CPU; returns the rate in nano cores, if one is known yet. */
    private OptionalLong observe(String key, long nanoTime, long coreNanos) {
        Reading last = readings.get(key);
        if (last == null) {
            readings.put(key, new Reading(nanoTime, coreNanos, OptionalLong.empty()));
            return OptionalLong.empty();
        }
        long elapsed = nanoTime - last.nanoTime();
        if (elapsed < MIN_INTERVAL.toNanos()) {
            return last.rate();
        }
        long rate = Math.max(0, Math.round((coreNanos - last.coreNanos()) * 1e9 / elapsed));
        readings.put(key, new Reading(nanoTime, coreNanos, OptionalLong.of(rate)));
        return OptionalLong.of(rate);
    }

    /** The CPU time the node spent not idle, in core nanoseconds: the {@code cpu} line of {@code /proc/stat}. */
    private Optional<Long> nodeCpu() {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("cpu ")) {
                    return Optional.of(busyTicks(line) * (1_000_000_000L / TICKS_PER_SECOND));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: no node CPU
        }
        return Optional.empty();
    }

    /** All the ticks of a {@code cpu} line but idle and iowait (fields 4 and 5); guest time is in user time already. */
    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.strip().split(" +");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    private Optional<Instant> bootTime() {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip())));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return Optional.empty();
    }

    private Map<String, Long> meminfo() {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("meminfo"), StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    List<String> parts = List.of(line.substring(colon + 1).strip().split(" +"));
                    long value = Long.parseLong(parts.getFirst());
                    values.put(line.substring(0, colon), parts.size() > 1 && parts.get(1).equals("kB") ? value * 1024 : value);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: no node memory
        }
        return values;
    }
}
