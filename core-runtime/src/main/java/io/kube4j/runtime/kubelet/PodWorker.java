package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.DnsConfig;
import io.kube4j.api.node.LinuxContainerResources;
import io.kube4j.api.node.LinuxPodSandboxConfig;
import io.kube4j.api.node.NamespaceMode;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkRequest;
import io.kube4j.api.node.PodSandboxConfig;
import io.kube4j.api.node.PodSandboxMetadata;
import io.kube4j.api.node.PodSandboxState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod on its own virtual thread, level-triggered: each pass compares the pod's spec with
 * what the runtime has (sandbox, init containers in order, then containers) and does the next
 * steps, then writes the status if it changed. It passes again when the pod changes, and at least
 * every {@link #RESYNC} (the node's relist period when the runtime reports container changes) to see
 * containers that ended. A pod marked for deletion is stopped
 * (SIGTERM, its grace period, SIGKILL), its sandbox removed, and the pod deleted with grace 0.
 */
final class PodWorker {
    private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
    static final Duration RESYNC = Duration.ofSeconds(1);
    static final Duration START_RETRY = Duration.ofSeconds(10);
    static final Duration VOLUME_RETRY = Duration.ofSeconds(2);
    static final String LABEL_POD_NAME = "io.kubernetes.pod.name";
    static final String LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String LABEL_POD_UID = "io.kubernetes.pod.uid";
    static final String LABEL_CONTAINER_NAME = "io.kubernetes.container.name";

    /**
     * What every worker of one kubelet shares.
     *
     * @param relist  how long a pass waits, at most, for the next one when nothing is due earlier:
     *                {@link #RESYNC}, or longer when the runtime reports container changes
     * @param apiPods finds a pod of the API server by namespace and name in the kubelet's cache:
     *                where a static pod finds its mirror pod
     * @param dns      what the node gives its pods' resolv.conf
     * @param services the Services in the kubelet's cache, for the containers' variables; empty until
     *                 they have been read once
     */
    record Node(String name, String address, Path podLogRoot, Path podDataRoot, ContainerRuntime runtime, PodNetwork network,
                ApiClient client, EventRecorder events, Clock clock, Duration relist,
                java.util.function.BiFunction<String, String, Optional<Pod>> apiPods, PodDns.NodeDns dns,
                java.util.function.Supplier<Optional<List<io.fabric8.kubernetes.api.model.Service>>> services) {
    }

    private final Node node;
    private final String uid;
    private final Runnable onDone;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Backoff backoff = new Backoff();
    /** Containers the runtime could not create or start, with why; retried after {@link #START_RETRY}. */
    private final Map<String, PodStatuses.Waiting> startErrors = new HashMap<>();
    private final Map<String, Instant> startRetryAt = new HashMap<>();
    private final Prober prober;
    /** The probe workers of each running container, by container name; touched by this worker's thread only. */
    private final Map<String, ContainerProbes> probes = new HashMap<>();
    private Pod pod;
    private boolean dirty = true;
    private boolean removed;
    private boolean closed;
    private Optional<String> sandboxId = Optional.empty();
    private PodSandboxConfig sandboxConfig;
    private List<String> podIps = List.of();
    private Instant startTime;
    /** The pod's volumes by name, once prepared (when its sandbox is). */
    private Map<String, Path> volumes;
    private volatile Thread thread;

    PodWorker(Node node, Pod pod, Runnable onDone) {
        this.node = requireNonNull(node, "node is null");
        this.pod = requireNonNull(pod, "pod is null");
        this.uid = pod.getMetadata().getUid();
        this.onDone = requireNonNull(onDone, "onDone is null");
        this.prober = new Prober(node.runtime());
    }

    /** The probe workers of one running container (by id); each is absent when the spec has no such probe. */
    private record ContainerProbes(String containerId, Optional<ProbeWorker> startup, Optional<ProbeWorker> liveness,
                                   Optional<ProbeWorker> readiness) {
        void stop() {
            startup.ifPresent(ProbeWorker::stop);
            liveness.ifPresent(ProbeWorker::stop);
            readiness.ifPresent(ProbeWorker::stop);
        }

        boolean started() {
            return startup.map(w -> w.result() == ProbeWorker.Result.SUCCESS).orElse(true);
        }

        PodStatuses.Health health() {
            boolean started = started();
            return new PodStatuses.Health(started,
                    started && readiness.map(w -> w.result() == ProbeWorker.Result.SUCCESS).orElse(true));
        }

        /** The probe that failed such that the container must be killed, if one did. */
        Optional<ProbeWorker> failed() {
            return startup.filter(w -> w.result() == ProbeWorker.Result.FAILURE)
                    .or(() -> liveness.filter(w -> w.result() == ProbeWorker.Result.FAILURE));
        }
    }

    void start() {
        thread = Thread.ofVirtual().name("kubelet-pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName())
                .start(this::run);
    }

    /** The pod changed (from the informer). */
    void update(Pod latest) {
        signal(() -> pod = latest);
    }

    /** One of the pod's containers changed by itself (a container event of the runtime). */
    void containerChanged() {
        signal(() -> { });
    }

    /** The pod is gone from the API server (deleted with grace 0, or by another hand). */
    void removed() {
        signal(() -> removed = true);
    }

    /** The kubelet stops: the worker ends without touching the pod or its containers (the runtime owns them). */
    void close() {
        signal(() -> closed = true);
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            dirty = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            adoptSandbox(withMirrorStatus(pod()));
            Duration wait = Duration.ZERO;
            while (true) {
                Pod current;
                boolean gone;
                lock.lock();
                try {
                    long nanos = wait.toNanos();
                    while (!dirty && !closed && nanos > 0) {
                        nanos = changed.awaitNanos(nanos);
                    }
                    if (closed) {
                        return;
                    }
                    dirty = false;
                    current = pod;
                    gone = removed;
                } finally {
                    lock.unlock();
                }
                if (gone) {
                    // A static pod whose manifest went is stopped as a deleted pod is, with its grace period.
                    kill(current, StaticPods.isStatic(current) ? Duration.ofSeconds(Math.max(0, Optional.ofNullable(
                            current.getSpec().getTerminationGracePeriodSeconds()).orElse(30L))) : Duration.ofSeconds(2), true);
                    removeVolumes();
                    return;
                }
                if (current.getMetadata().getDeletionTimestamp() != null) {
                    terminate(current);
                    return;
                }
                try {
                    wait = sync(withMirrorStatus(current));
                } catch (ContainerRuntimeException | ApiException e) {
                    log.warn("pod {}/{}: {}", current.getMetadata().getNamespace(), current.getMetadata().getName(),
                            e.getMessage());
                    wait = RESYNC;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("pod worker {} failed", uid, e);
        } finally {
            stopProbes();
            onDone.run();
        }
    }

    // ------------------------------------------------------------------ sync

    /** One pass; returns how long until the next one at the latest. */
    Duration sync(Pod pod) {
        String phase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        if (startTime == null) {
            startTime = pod.getStatus() != null && pod.getStatus().getStartTime() != null
                    ? Instant.parse(pod.getStatus().getStartTime()) : node.clock().instant();
        }
        if (terminal) {
            // Nothing runs again; the containers' records stay for the status and the logs.
            stopProbes();
            sandboxId.ifPresent(id -> {
                node.runtime().stopPodSandbox(id);
                node.network().tearDownPod(networkRequest(pod, id));
            });
            return Duration.ofMinutes(1);
        }
        if (sandboxId.isEmpty() || node.runtime().podSandboxStatus(sandboxId.get())
                .map(s -> s.state() != PodSandboxState.READY).orElse(true)) {
            runSandbox(pod);
        }
        if (volumes == null && node.runtime().simulated()) {
            volumes = Map.of();
        }
        if (volumes == null) {
            try {
                volumes = Volumes.prepare(pod, volumesDirectory(pod), podFields(), sources(pod));
            } catch (ContainerEnv.ConfigException e) {
                node.events().event(pod, EventType.WARNING, "FailedMount", "%s", e.getMessage());
                writeStatus(pod, containers(), Map.of());
                return VOLUME_RETRY;
            }
        }
        Map<String, List<ContainerStatus>> byName = containers();
        if (killUnhealthy(pod, byName)) {
            byName = containers();
        }
        Map<String, PodStatuses.Waiting> waiting = new HashMap<>();
        Duration next = node.relist();
        String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        boolean initialized = true;
        for (io.fabric8.kubernetes.api.model.Container spec : pod.getSpec().getInitContainers()) {
            Optional<ContainerStatus> latest = latest(byName, spec.getName());
            if (latest.isEmpty()) {
                startContainer(pod, spec, 0);
                initialized = false;
                break;
            }
            ContainerStatus s = latest.get();
            if (s.state() != ContainerState.EXITED) {
                initialized = false;
                break;
            }
            if (s.exitCode() == 0) {
                continue;
            }
            initialized = false;
            if (!restartPolicy.equals("Never")) {
                next = min(next, restartAfterBackoff(pod, spec, s, waiting));
            }
            break;
        }
        if (initialized) {
            for (io.fabric8.kubernetes.api.model.Container spec : pod.getSpec().getContainers()) {
                Optional<ContainerStatus> latest = latest(byName, spec.getName());
                if (latest.isEmpty()) {
                    startContainer(pod, spec, 0);
                } else if (latest.get().state() == ContainerState.EXITED
                        && shouldRestart(restartPolicy, latest.get().exitCode())) {
                    next = min(next, restartAfterBackoff(pod, spec, latest.get(), waiting));
                }
            }
        }
        startErrors.forEach(waiting::putIfAbsent);
        Map<String, List<ContainerStatus>> now = containers();
        syncProbes(pod, now);
        writeStatus(pod, now, waiting);
        return next;
    }

    // ------------------------------------------------------------------ probes

    /** Starts the probe workers of containers that run (a new worker for a new container id), stops the others'. */
    private void syncProbes(Pod pod, Map<String, List<ContainerStatus>> byName) {
        if (node.runtime().simulated()) {
            return;
        }
        for (io.fabric8.kubernetes.api.model.Container spec : pod.getSpec().getContainers()) {
            Optional<ContainerStatus> latest = latest(byName, spec.getName()).filter(s -> s.state() == ContainerState.RUNNING);
            ContainerProbes current = probes.get(spec.getName());
            if (current != null && latest.map(s -> s.id().equals(current.containerId())).orElse(false)) {
                continue;
            }
            if (current != null) {
                current.stop();
                probes.remove(spec.getName());
            }
            if (latest.isEmpty() || (spec.getStartupProbe() == null && spec.getLivenessProbe() == null
                    && spec.getReadinessProbe() == null)) {
                continue;
            }
            ContainerStatus running = latest.get();
            Instant startedAt = running.startedAt().orElseThrow();
            ProbeWorker[] startup = new ProbeWorker[1];
            BooleanSupplier started = () -> startup[0] == null || startup[0].result() == ProbeWorker.Result.SUCCESS;
            startup[0] = probeWorker(pod, spec, running.id(), startedAt, ProbeWorker.Kind.STARTUP, spec.getStartupProbe(), started);
            ContainerProbes created = new ContainerProbes(running.id(), Optional.ofNullable(startup[0]),
                    Optional.ofNullable(probeWorker(pod, spec, running.id(), startedAt, ProbeWorker.Kind.LIVENESS,
                            spec.getLivenessProbe(), started)),
                    Optional.ofNullable(probeWorker(pod, spec, running.id(), startedAt, ProbeWorker.Kind.READINESS,
                            spec.getReadinessProbe(), started)));
            probes.put(spec.getName(), created);
            created.startup().ifPresent(ProbeWorker::start);
            created.liveness().ifPresent(ProbeWorker::start);
            created.readiness().ifPresent(ProbeWorker::start);
        }
    }

    private ProbeWorker probeWorker(Pod pod, io.fabric8.kubernetes.api.model.Container spec, String containerId,
                                    Instant startedAt, ProbeWorker.Kind kind, io.fabric8.kubernetes.api.model.Probe probe,
                                    BooleanSupplier started) {
        if (probe == null) {
            return null;
        }
        return new ProbeWorker(kind, probe, spec, containerId, startedAt,
                () -> podIps.isEmpty() ? node.address() : podIps.getFirst(), prober, started, () -> signal(() -> { }),
                pod, node.events(), node.clock());
    }

    /**
     * Kills each container whose liveness or startup probe failed, with its grace period, as the
     * kubelet does; the restart policy then decides whether it runs again. True if one was killed.
     */
    private boolean killUnhealthy(Pod pod, Map<String, List<ContainerStatus>> byName) {
        boolean killed = false;
        for (var spec : pod.getSpec().getContainers()) {
            ContainerProbes p = probes.get(spec.getName());
            if (p == null) {
                continue;
            }
            Optional<ProbeWorker> failed = p.failed();
            boolean stillRunning = latest(byName, spec.getName())
                    .map(s -> s.id().equals(p.containerId()) && s.state() == ContainerState.RUNNING).orElse(false);
            if (failed.isEmpty() || !stillRunning) {
                continue;
            }
            String what = failed.get().kind().title.toLowerCase(java.util.Locale.ROOT);
            node.events().event(pod, EventType.NORMAL, "Killing", "Container %s failed %s probe, will be restarted",
                    spec.getName(), what);
            io.fabric8.kubernetes.api.model.Probe probe = failed.get().kind() == ProbeWorker.Kind.STARTUP
                    ? spec.getStartupProbe() : spec.getLivenessProbe();
            long grace = Optional.ofNullable(probe.getTerminationGracePeriodSeconds())
                    .or(() -> Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds())).orElse(30L);
            p.stop();
            probes.remove(spec.getName());
            node.runtime().stopContainer(p.containerId(), Duration.ofSeconds(Math.max(grace, 0)));
            killed = true;
        }
        return killed;
    }

    private void stopProbes() {
        probes.values().forEach(ContainerProbes::stop);
        probes.clear();
    }

    private Map<String, PodStatuses.Health> health() {
        Map<String, PodStatuses.Health> health = new HashMap<>();
        probes.values().forEach(p -> health.put(p.containerId(), p.health()));
        return health;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static boolean shouldRestart(String restartPolicy, int exitCode) {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    /** Restarts the container if its back-off has passed; else notes it as backing off. Returns when to look again. */
    private Duration restartAfterBackoff(Pod pod, io.fabric8.kubernetes.api.model.Container spec, ContainerStatus last,
                                         Map<String, PodStatuses.Waiting> waiting) {
        Instant now = node.clock().instant();
        Duration left = backoff.remaining(spec.getName(), last.startedAt().orElse(last.createdAt()),
                last.finishedAt().orElse(now), now);
        if (!left.isZero()) {
            waiting.put(spec.getName(), new PodStatuses.Waiting("CrashLoopBackOff", "back-off " + human(backoff.current(spec.getName()))
                    + " restarting failed container=" + spec.getName() + " pod=" + pod.getMetadata().getName() + "_"
                    + pod.getMetadata().getNamespace() + "(" + uid + ")"));
            node.events().event(pod, EventType.WARNING, "BackOff", "Back-off restarting failed container %s in pod %s",
                    spec.getName(), pod.getMetadata().getName());
            return min(left, RESYNC);
        }
        backoff.restarted(spec.getName());
        startContainer(pod, spec, last.metadata().attempt() + 1);
        return RESYNC;
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + "m0s" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    private Pod pod() {
        lock.lock();
        try {
            return pod;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over the pod's ready sandbox that the runtime still has from before this kubelet
     * started (a restart): its containers run on and are reported, not started again. The pod's
     * IPs are those its status has, which the network gave the sandbox when it was made.
     */
    private void adoptSandbox(Pod pod) {
        if (sandboxId.isPresent()) {
            return;
        }
        try {
            Optional<io.kube4j.api.node.PodSandbox> found = node.runtime().listPodSandbox(new io.kube4j.api.node.PodSandboxFilter(
                    Optional.empty(), Optional.of(PodSandboxState.READY), Map.of(LABEL_POD_UID, uid))).stream()
                    .max(Comparator.comparing(io.kube4j.api.node.PodSandbox::createdAt));
            if (found.isEmpty()) {
                return;
            }
            String id = found.get().id();
            sandboxConfig = sandboxConfig(pod, found.get().metadata().attempt());
            sandboxId = Optional.of(id);
            List<String> ips = pod.getStatus() == null || pod.getStatus().getPodIPs() == null ? List.of()
                    : pod.getStatus().getPodIPs().stream().map(io.fabric8.kubernetes.api.model.PodIP::getIp)
                    .filter(ip -> ip != null && !ip.isEmpty()).toList();
            boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
            podIps = hostNetwork ? List.of(node.address())
                    : ips.isEmpty() ? node.network().setUpPod(networkRequest(pod, id)).ips() : ips;
            log.info("pod {}/{}: adopted its sandbox {} and its containers", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), id.substring(0, Math.min(12, id.length())));
        } catch (ContainerRuntimeException | ApiException e) {
            log.warn("pod {}/{}: cannot adopt its sandbox: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
        }
    }

    private void runSandbox(Pod pod) {
        int attempt = sandboxId.isPresent() ? sandboxConfig.metadata().attempt() + 1 : 0;
        sandboxId.ifPresent(old -> {
            node.network().tearDownPod(networkRequest(pod, old));
            node.runtime().removePodSandbox(old);
        });
        sandboxConfig = sandboxConfig(pod, attempt);
        String id = node.runtime().runPodSandbox(sandboxConfig);
        sandboxId = Optional.of(id);
        podIps = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? List.of(node.address())
                : node.network().setUpPod(networkRequest(pod, id)).ips();
    }

    private PodSandboxConfig sandboxConfig(Pod pod, int attempt) {
        String name = pod.getMetadata().getName();
        // On the node's network: hostNetwork pods, and every pod of a network that wires no namespaces (host).
        boolean nodeNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) || !node.network().needsPodNamespace();
        LinuxPodSandboxConfig linux = new LinuxPodSandboxConfig("", nodeNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
                NamespaceMode.CONTAINER, NamespaceMode.POD, false, Optional.empty(), Map.of());
        String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : name;
        DnsConfig dns = DnsConfig.NONE;
        if (!nodeNetwork) {
            // A pod on the node's network shares the node's /etc/resolv.conf; the others get their own.
            dns = PodDns.forPod(pod, node.dns());
            if (PodDns.missingClusterDns(pod, node.dns())) {
                node.events().event(pod, EventType.WARNING, "MissingClusterDNS", "%s", "pod: \"" + name + "_"
                        + pod.getMetadata().getNamespace() + "(" + uid + ")\". kubelet does not have ClusterDNS IP"
                        + " configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
            }
        }
        return new PodSandboxConfig(new PodSandboxMetadata(name, uid, pod.getMetadata().getNamespace(), attempt), hostname,
                logDirectory(pod), dns, List.of(), podLabels(pod),
                Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of()), linux);
    }

    /** Where the pod's container logs go: {@code <node>/pods/<ns>_<name>_<uid>}, as /var/log/pods is laid out. */
    Path logDirectory(Pod pod) {
        return logDirectory(node.podLogRoot(), pod);
    }

    static Path logDirectory(Path root, Pod pod) {
        return root.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_"
                + pod.getMetadata().getUid());
    }

    private Map<String, String> podLabels(Pod pod) {
        return Map.of(LABEL_POD_NAME, pod.getMetadata().getName(), LABEL_POD_NAMESPACE, pod.getMetadata().getNamespace(),
                LABEL_POD_UID, uid);
    }

    /** What the pod network needs to (un)wire the sandbox: the network namespace the runtime made for it, if any. */
    private PodNetworkRequest networkRequest(Pod pod, String sandbox) {
        Optional<String> netns = node.runtime().podSandboxStatus(sandbox).flatMap(s -> s.networkNamespacePath());
        return new PodNetworkRequest(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid, sandbox,
                netns, PodNetworkRequest.DEFAULT_INTERFACE, List.of());
    }

    /**
     * Creates and starts the container. A runtime that refuses (no command, say) is not an error of
     * the pass: the container waits with CreateContainerError or RunContainerError, retried after
     * {@link #START_RETRY}, as the kubelet shows it.
     */
    private void startContainer(Pod pod, io.fabric8.kubernetes.api.model.Container spec, int attempt) {
        Instant now = node.clock().instant();
        Instant retry = startRetryAt.get(spec.getName());
        if (retry != null && now.isBefore(retry)) {
            return;
        }
        String image = Optional.ofNullable(spec.getImage()).orElse("");
        boolean present = node.runtime().imageStatus(image).isPresent();
        String imageRef = node.runtime().pullImage(image, Optional.empty());
        node.events().event(pod, EventType.NORMAL, "Pulled", present
                ? "Container image \"%s\" already present on machine" : "Successfully pulled image \"%s\"", image);
        Map<String, String> labels = new HashMap<>(podLabels(pod));
        labels.put(LABEL_CONTAINER_NAME, spec.getName());
        ContainerEnv.Result env;
        try {
            env = ContainerEnv.make(pod, spec, podFields(), sources(pod));
        } catch (ContainerEnv.ConfigException e) {
            failedToStart(pod, spec.getName(), "CreateContainerConfigError", e.getMessage(), now);
            return;
        }
        LinuxContainerResources limits = resources(spec);
        ContainerConfig config = new ContainerConfig(new ContainerMetadata(spec.getName(), attempt), image,
                env.command(), env.args(), Optional.ofNullable(spec.getWorkingDir()).orElse(""), env.env(), mounts(spec),
                spec.getName() + "/" + attempt + ".log", limits, labels, Map.of(), false, false);
        if (!limits.equals(LinuxContainerResources.UNLIMITED) && !node.runtime().enforcesResourceLimits()
                && !node.runtime().simulated()) {
            node.events().event(pod, EventType.WARNING, "ResourceLimitsNotEnforced",
                    "container %s: its cpu and memory limits are not enforced: the runtime cannot make control groups here",
                    spec.getName());
        }
        String id;
        try {
            id = node.runtime().createContainer(sandboxId.orElseThrow(), config, sandboxConfig);
        } catch (ContainerRuntimeException e) {
            failedToStart(pod, spec.getName(), "CreateContainerError", e.getMessage(), now);
            return;
        }
        node.events().event(pod, EventType.NORMAL, "Created", "Created container %s", spec.getName());
        try {
            node.runtime().startContainer(id);
        } catch (ContainerRuntimeException e) {
            failedToStart(pod, spec.getName(), "RunContainerError", e.getMessage(), now);
            return;
        }
        startErrors.remove(spec.getName());
        startRetryAt.remove(spec.getName());
        log.debug("started container {} of {}/{} ({})", spec.getName(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), imageRef);
        node.events().event(pod, EventType.NORMAL, "Started", "Started container %s", spec.getName());
    }

    private void failedToStart(Pod pod, String container, String reason, String message, Instant now) {
        PodStatuses.Waiting why = new PodStatuses.Waiting(reason, message);
        if (!why.equals(startErrors.put(container, why))) {
            log.info("pod {}/{}: container {}: {}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    container, reason, message);
        }
        startRetryAt.put(container, now.plus(START_RETRY));
        node.events().event(pod, EventType.WARNING, "Failed", "Error: %s", message);
    }

    /**
     * The container's limits as the kubelet hands them to the runtime: a cpu limit as a CFS quota per
     * 100 ms period (at least 1 ms), a cpu request as cpu.shares (1024 a core, at least 2), a memory
     * limit in bytes; nothing set is {@link LinuxContainerResources#UNLIMITED}.
     */
    static LinuxContainerResources resources(io.fabric8.kubernetes.api.model.Container spec) {
        if (spec.getResources() == null) {
            return LinuxContainerResources.UNLIMITED;
        }
        Map<String, io.fabric8.kubernetes.api.model.Quantity> limits =
                Optional.ofNullable(spec.getResources().getLimits()).orElse(Map.of());
        Map<String, io.fabric8.kubernetes.api.model.Quantity> requests =
                Optional.ofNullable(spec.getResources().getRequests()).orElse(Map.of());
        long period = 100_000;
        long quota = 0;
        long shares = 0;
        long memory = 0;
        if (limits.containsKey("cpu")) {
            long millis = milliCpu(limits.get("cpu"));
            quota = millis <= 0 ? 0 : Math.max(1_000, millis * period / 1000);
        }
        io.fabric8.kubernetes.api.model.Quantity cpuRequest = requests.containsKey("cpu") ? requests.get("cpu") : limits.get("cpu");
        if (cpuRequest != null) {
            shares = Math.max(2, milliCpu(cpuRequest) * 1024 / 1000);
        }
        if (limits.containsKey("memory")) {
            memory = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(limits.get("memory")).longValue();
        }
        if (quota == 0 && shares == 0 && memory <= 0) {
            return LinuxContainerResources.UNLIMITED;
        }
        return new LinuxContainerResources(quota == 0 ? 0 : period, quota, shares, Math.max(0, memory), 0);
    }

    private static long milliCpu(io.fabric8.kubernetes.api.model.Quantity q) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(q).multiply(java.math.BigDecimal.valueOf(1000))
                .setScale(0, java.math.RoundingMode.CEILING).longValue();
    }

    private ContainerEnv.PodFields podFields() {
        return new ContainerEnv.PodFields(node.name(), node.address(), podIps, node.runtime().capacity());
    }

    /** Where the pod's volumes are made: {@code <node>/kubelet/pods/<uid>/volumes}, as /var/lib/kubelet/pods. */
    private Path volumesDirectory(Pod pod) {
        return node.podDataRoot().resolve(uid).resolve("volumes");
    }

    /** The container's volumeMounts as the runtime's mounts (a subPath within its volume). */
    private List<io.kube4j.api.node.Mount> mounts(io.fabric8.kubernetes.api.model.Container spec) {
        List<io.kube4j.api.node.Mount> mounts = new ArrayList<>();
        for (var m : Optional.ofNullable(spec.getVolumeMounts()).orElse(List.of())) {
            Path volume = volumes == null ? null : volumes.get(m.getName());
            if (volume == null || m.getMountPath() == null || !m.getMountPath().startsWith("/")) {
                continue;
            }
            Path host = m.getSubPath() == null || m.getSubPath().isEmpty() ? volume : volume.resolve(m.getSubPath()).normalize();
            mounts.add(new io.kube4j.api.node.Mount(m.getMountPath(), host, Boolean.TRUE.equals(m.getReadOnly())));
        }
        return mounts;
    }

    private void removeVolumes() {
        try {
            Volumes.deleteTree(node.podDataRoot().resolve(uid));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            log.debug("volumes of pod {} not removed: {}", uid, e.getMessage());
        }
        volumes = null;
    }

    /** Reads the pod's namespace's ConfigMaps and Secrets from the API server, when a container is made. */
    private ContainerEnv.Sources sources(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return new ContainerEnv.Sources() {
            @Override
            public Optional<io.fabric8.kubernetes.api.model.ConfigMap> configMap(String name) {
                return node.client().get(io.fabric8.kubernetes.api.model.ConfigMap.class, ns, name);
            }

            @Override
            public Optional<io.fabric8.kubernetes.api.model.Secret> secret(String name) {
                return node.client().get(io.fabric8.kubernetes.api.model.Secret.class, ns, name);
            }

            @Override
            public Map<String, String> serviceEnv() throws ContainerEnv.ConfigException {
                return ServiceEnv.of(pod, node.services().get().orElseThrow(() -> new ContainerEnv.ConfigException(
                        "services have not yet been read at least once, cannot construct envvars")));
            }
        };
    }

    /** The runtime's containers of this pod by name, oldest attempt first. */
    private Map<String, List<ContainerStatus>> containers() {
        Map<String, List<ContainerStatus>> byName = new HashMap<>();
        for (var c : node.runtime().listContainers(new ContainerFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(LABEL_POD_UID, uid)))) {
            node.runtime().containerStatus(c.id()).ifPresent(s ->
                    byName.computeIfAbsent(s.metadata().name(), k -> new ArrayList<>()).add(s));
        }
        byName.values().forEach(l -> l.sort(Comparator.comparingInt(s -> s.metadata().attempt())));
        return byName;
    }

    private static Optional<ContainerStatus> latest(Map<String, List<ContainerStatus>> byName, String name) {
        List<ContainerStatus> all = byName.get(name);
        return all == null || all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    // ------------------------------------------------------------------ status

    private void writeStatus(Pod pod, Map<String, List<ContainerStatus>> byName, Map<String, PodStatuses.Waiting> waiting) {
        boolean sandboxReady = sandboxId.flatMap(id -> node.runtime().podSandboxStatus(id))
                .map(s -> s.state() == PodSandboxState.READY).orElse(false);
        PodStatus status = PodStatuses.generate(pod, byName, waiting, new PodStatuses.Sandbox(sandboxReady, podIps,
                node.address(), startTime), node.runtime().version().runtimeName(), node.clock().instant(), false, health());
        update(pod, status);
    }

    /**
     * A static pod has no status of its own: what its mirror pod says (the last status this
     * kubelet wrote) stands for it, so that times and IPs carry over. Other pods are returned as they are.
     */
    private Pod withMirrorStatus(Pod pod) {
        if (!StaticPods.isStatic(pod)) {
            return pod;
        }
        return new PodBuilder(pod).withStatus(mirror(pod).map(Pod::getStatus).orElse(null)).build();
    }

    /** The static pod's mirror pod in the API server, if there is one for this very manifest. */
    private Optional<Pod> mirror(Pod pod) {
        return node.apiPods().apply(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                .filter(m -> uid.equals(StaticPods.annotation(m, StaticPods.MIRROR)));
    }

    private void update(Pod pod, PodStatus status) {
        if (StaticPods.isStatic(pod)) {
            // The status of a static pod goes to its mirror pod; without one (yet) it waits for the next pass.
            Optional<Pod> mirror = mirror(pod);
            if (mirror.isEmpty() || mirror.get().getMetadata().getDeletionTimestamp() != null
                    || status.equals(mirror.get().getStatus())) {
                return;
            }
            try {
                node.client().updateStatus(new PodBuilder(mirror.get()).withStatus(status).build());
            } catch (ApiException e) {
                if (!e.isNotFound() && !e.isConflict()) {
                    throw e;
                }
            }
            return;
        }
        if (status.equals(pod.getStatus())) {
            return;
        }
        Pod base = pod;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                node.client().updateStatus(new PodBuilder(base).withStatus(status).build());
                return;
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return;
                }
                if (!e.isConflict()) {
                    throw e;
                }
                Optional<Pod> fresh = node.client().get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
                if (fresh.isEmpty() || !uid.equals(fresh.get().getMetadata().getUid())) {
                    return;
                }
                base = fresh.get();
            }
        }
    }

    // ------------------------------------------------------------------ termination

    /** The pod is being deleted: stop it within its grace period, report it, then delete it for good. */
    private void terminate(Pod pod) throws InterruptedException {
        long grace = Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds())
                .or(() -> Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds())).orElse(30L);
        kill(pod, Duration.ofSeconds(Math.max(grace, 0)), false);
        if (sandboxId.isPresent() && pod.getStatus() != null) {
            PodStatus status = PodStatuses.generate(pod, containers(), Map.of(), new PodStatuses.Sandbox(false, podIps,
                    node.address(), startTime), node.runtime().version().runtimeName(), node.clock().instant(), true);
            try {
                update(pod, status);
            } catch (ApiException e) {
                log.debug("final status of {} not written: {}", pod.getMetadata().getName(), e.getMessage());
            }
        }
        sandboxId.ifPresent(node.runtime()::removePodSandbox);
        sandboxId = Optional.empty();
        removeVolumes();
        try {
            // The uid precondition spares a pod made since under the same name.
            node.client().delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    DeleteOptions.gracePeriod(0).withPreconditionUid(uid));
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                log.warn("cannot delete pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        e.getMessage());
            }
        }
    }

    /** Stops every container of the pod with {@code grace}, in parallel, and its sandbox. */
    private void kill(Pod pod, Duration grace, boolean remove) throws InterruptedException {
        stopProbes();
        if (sandboxId.isEmpty()) {
            return;
        }
        List<Thread> stops = new ArrayList<>();
        for (var c : node.runtime().listContainers(ContainerFilter.inSandbox(sandboxId.get()))) {
            if (c.state() == ContainerState.RUNNING || c.state() == ContainerState.CREATED) {
                node.events().event(pod, EventType.NORMAL, "Killing", "Stopping container %s", c.metadata().name());
                stops.add(Thread.ofVirtual().name("kubelet-stop-" + c.metadata().name())
                        .start(() -> node.runtime().stopContainer(c.id(), grace)));
            }
        }
        for (Thread t : stops) {
            t.join(grace.plusSeconds(15).toMillis());
        }
        node.network().tearDownPod(networkRequest(pod, sandboxId.get()));
        node.runtime().stopPodSandbox(sandboxId.get());
        if (remove) {
            node.runtime().removePodSandbox(sandboxId.get());
            sandboxId = Optional.empty();
        }
    }

}
