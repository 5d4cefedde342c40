package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkFactory;
import io.kube4j.api.node.RuntimeStatus;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.runtime.event.ApiEventRecorder;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.informer.ListWatchInformer;
import io.kube4j.runtime.profile.NodeProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of one node. It registers its Node (capacity from the runtime, labels, addresses,
 * nodeInfo, conditions), renews its Lease in {@code kube-node-lease} every 10 s and reports the
 * Node's status when it changes (at least every minute), watches only the pods bound to it
 * ({@code spec.nodeName}), runs each with a {@link PodWorker}, and serves container logs over HTTP
 * for the API server's {@code pods/log} and {@code /stats/summary}. With a {@code staticPodPath} it
 * runs the manifests there too ({@link StaticPods}) and keeps their mirror pods ({@link MirrorPods}).
 * Started on the state of an earlier kubelet of the node, its workers adopt the sandboxes that still
 * run and it removes those of pods that are gone. It reaches the API server only through its {@link ApiClient}.
 *
 * <p>The kubelets of one process share a {@link KubeletHost}: its client, its one pod watch and its
 * log server. A node whose runtime reports container events ({@code simulated}) relists its pods
 * every {@link #EVENTED_RELIST} instead of every second, and one whose runtime is
 * {@linkplain ContainerRuntime#simulated() simulated} records no Events of its own.
 */
public final class Kubelet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Kubelet.class);
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration STATUS_REPORT = Duration.ofMinutes(1);
    /** How often a pod is looked at when the runtime reports container events, as kube's evented PLEG relists. */
    static final Duration EVENTED_RELIST = Duration.ofMinutes(5);
    static final int LEASE_DURATION_SECONDS = 40;
    /** The grace period of the containers of a pod deleted while the kubelet was down. */
    static final Duration ORPHAN_GRACE = Duration.ofSeconds(2);
    /** How often the static pod manifests are read again. */
    static final Duration STATIC_POD_CHECK = Duration.ofSeconds(2);
    /** The Kubernetes version the kubelet says it is, as kubectl shows it. */
    public static final String KUBELET_VERSION = "v1.32.0";

    private final NodeProfile config;
    private final ApiClient client;
    private final PluginContext context;
    private final Path nodeDataDir;
    private final ContainerRuntime runtime;
    private final PodNetwork network;
    private final EventRecorder events;
    private final KubeletHost host;
    /** The host's cache of pods: where a static pod finds its mirror pod. */
    private final ListWatchInformer<Pod> pods;
    private final boolean ownsHost;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final PodWorker.Node workerNode;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Optional<StaticPods> staticPods;
    private final MirrorPods mirrors;
    private final StatsSummary stats;
    /** The static pods being run, by uid; written by the static pod thread only. */
    private final Map<String, Pod> statics = new ConcurrentHashMap<>();
    private final java.util.concurrent.Semaphore staticWake = new java.util.concurrent.Semaphore(0);
    private Thread staticLoop;
    private LogServer logServer;
    private Thread heartbeat;
    private NodeStatus lastReported;
    private Instant lastReportedAt = Instant.EPOCH;
    /** The Lease as last written, so that a renewal is one update (a get only after a conflict). */
    private Lease lease;
    /** The registered Node's uid, for its Lease's owner reference; "" until known. */
    private volatile String nodeUid = "";
    private volatile boolean closed;

    private Kubelet(NodeProfile config, PluginBinder binder, KubeletHost host, boolean ownsHost, PluginContext context,
                    String where) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.ownsHost = ownsHost;
        this.client = host.client();
        this.context = requireNonNull(context, "context is null");
        this.nodeDataDir = context.dataDir().resolve("nodes").resolve(config.name());
        try {
            Files.createDirectories(nodeDataDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + nodeDataDir + ": " + e.getMessage(), e);
        }
        KubeletNodeContext nodeContext = new KubeletNodeContext(config.name(), nodeDataDir, client, context.dataDir(),
                context.clock());
        this.runtime = createRuntime(binder.bind(Family.CONTAINER_RUNTIME, config.runtime(), where + ".runtime"), nodeContext);
        PodNetwork net;
        try {
            net = createNetwork(binder.bind(Family.POD_NETWORK, config.network(), where + ".network"), nodeContext);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        this.network = net;
        this.events = runtime.simulated() ? (regarding, type, reason, messageFormat, args) -> { }
                : new ApiEventRecorder(client, "kubelet", config.name(), context.clock());
        boolean evented = runtime.watchContainerEvents(event -> {
            PodWorker worker = workers.get(event.podSandbox().uid());
            if (worker != null) {
                worker.containerChanged();
            }
        });
        this.pods = host.pods();
        this.workerNode = new PodWorker.Node(config.name(), config.address(), nodeDataDir.resolve("pods"),
                nodeDataDir.resolve("kubelet").resolve("pods"), runtime, network,
                client, events, context.clock(), evented ? EVENTED_RELIST : PodWorker.RESYNC,
                (ns, name) -> this.pods.lister().get(ns, name),
                new PodDns.NodeDns(config.clusterDNS(), config.clusterDomain(), host.hostDns()),
                host::services);
        this.staticPods = config.staticPodPath().isEmpty() ? Optional.empty()
                : Optional.of(new StaticPods(context.dataDir().resolve(config.staticPodPath()), config.name(), context.clock()));
        this.mirrors = new MirrorPods(client, pods.lister(), config.name());
        this.stats = new StatsSummary(config.name(), runtime, context.clock(), Path.of("/proc"));
    }

    /** Checks the node's slots against the plugins there are: {@code kube4j profile check}. {@code where} names it (nodes[0]). */
    public static void check(NodeProfile config, PluginBinder binder, String where) {
        binder.bind(Family.CONTAINER_RUNTIME, config.runtime(), where + ".runtime");
        binder.bind(Family.POD_NETWORK, config.network(), where + ".network");
    }

    /**
     * Creates the node's runtime and network and starts the kubelet alone: its log server, its Node
     * (registered before this returns), its Lease and its pod workers. Owns {@code client} and closes it.
     */
    public static Kubelet start(NodeProfile config, PluginBinder binder, ApiClient client, PluginContext context,
                                String where) {
        KubeletHost host = new KubeletHost(client, Optional.of(config.name()));
        Kubelet kubelet;
        try {
            kubelet = start(config, binder, host, true, context, where);
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        host.start();
        return kubelet;
    }

    /**
     * Creates the node's runtime and network and starts the kubelet on a shared {@code host}: its
     * Node is registered before this returns, its Lease kept from then on, and its pods come once the
     * host starts.
     * Thread-safe: the kubelets of a host may start in parallel. The host is closed after its kubelets.
     */
    public static Kubelet start(NodeProfile config, PluginBinder binder, KubeletHost host, PluginContext context,
                                String where) {
        return start(config, binder, host, false, context, where);
    }

    private static Kubelet start(NodeProfile config, PluginBinder binder, KubeletHost host, boolean ownsHost,
                                 PluginContext context, String where) {
        Kubelet kubelet = new Kubelet(config, binder, host, ownsHost, context, where);
        try {
            kubelet.begin();
        } catch (RuntimeException e) {
            kubelet.close();
            throw e;
        }
        return kubelet;
    }

    @SuppressWarnings("unchecked")
    private static <C> ContainerRuntime createRuntime(PluginBinder.Bound<C> bound, KubeletNodeContext context) {
        return ((ContainerRuntimeFactory<C>) bound.factory()).create(bound.config(), context);
    }

    @SuppressWarnings("unchecked")
    private static <C> PodNetwork createNetwork(PluginBinder.Bound<C> bound, KubeletNodeContext context) {
        return ((PodNetworkFactory<C>) bound.factory()).create(bound.config(), context);
    }

    private void begin() {
        logServer = host.logServer(config.address(), config.kubeletPort());
        host.join(this);
        registerWithRetries();
        startPods();
        heartbeat = Thread.ofVirtual().name("kubelet-heartbeat-" + config.name()).start(this::heartbeatLoop);
        if (runtime.simulated()) {
            log.debug("kubelet of simulated node {} is up", config.name());
        } else {
            log.info("kubelet of node {} is up; logs at http://{}:{}", config.name(), config.address(), logServer.port());
        }
    }

    /** A pod bound to this node was added or changed (from the host's informer). */
    void podChanged(Pod pod) {
        dispatch(pod);
    }

    /** A pod bound to this node is gone from the API server (from the host's informer). */
    void podDeleted(Pod pod) {
        if (StaticPods.isMirror(pod)) {
            staticWake.release();
            return;
        }
        PodWorker worker = workers.get(pod.getMetadata().getUid());
        if (worker != null) {
            worker.removed();
        }
    }

    /** Starts what needs the node registered: the static pods, and the removal of the sandboxes of pods that are gone. */
    private void startPods() {
        List<io.kube4j.api.node.PodSandbox> before = runtime.listPodSandbox(io.kube4j.api.node.PodSandboxFilter.ALL);
        staticPods.ifPresent(source -> {
            syncStaticPods(source);
            staticLoop = Thread.ofVirtual().name("kubelet-static-pods-" + config.name()).start(() -> staticPodLoop(source));
        });
        if (!before.isEmpty()) {
            Thread.ofVirtual().name("kubelet-orphans-" + config.name()).start(() -> removeOrphans(before));
        }
    }

    private void dispatch(Pod pod) {
        if (StaticPods.isMirror(pod)) {
            staticWake.release();
            return;
        }
        if (closed || !config.name().equals(pod.getSpec().getNodeName())) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodWorker existing = workers.get(uid);
        if (existing != null) {
            existing.update(pod);
            return;
        }
        PodWorker worker = new PodWorker(workerNode, pod, () -> workers.remove(uid));
        if (workers.putIfAbsent(uid, worker) == null) {
            worker.start();
        } else {
            workers.get(uid).update(pod);
        }
    }

    /**
     * Stops and removes the sandboxes (and containers) that the runtime kept from before this
     * kubelet started whose pod is no longer bound to this node: pods deleted while it was down.
     * The others are adopted by their pod's worker.
     */
    private void removeOrphans(List<io.kube4j.api.node.PodSandbox> before) {
        try {
            if (!pods.waitForSync(Duration.ofMinutes(5))) {
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        java.util.Set<String> uids = new java.util.HashSet<>(workers.keySet());
        uids.addAll(statics.keySet());
        pods.lister().list().forEach(p -> uids.add(p.getMetadata().getUid()));
        for (io.kube4j.api.node.PodSandbox sandbox : before) {
            if (closed || uids.contains(sandbox.metadata().uid())) {
                continue;
            }
            log.info("node {}: stopping sandbox {} of pod {}/{}, which is gone", config.name(), sandbox.id(),
                    sandbox.metadata().namespace(), sandbox.metadata().name());
            try {
                for (var c : runtime.listContainers(io.kube4j.api.node.ContainerFilter.inSandbox(sandbox.id()))) {
                    runtime.stopContainer(c.id(), ORPHAN_GRACE);
                }
                network.tearDownPod(new io.kube4j.api.node.PodNetworkRequest(sandbox.metadata().namespace(),
                        sandbox.metadata().name(), sandbox.metadata().uid(), sandbox.id(), Optional.empty(),
                        io.kube4j.api.node.PodNetworkRequest.DEFAULT_INTERFACE, List.of()));
                runtime.removePodSandbox(sandbox.id());
            } catch (RuntimeException e) {
                log.warn("node {}: cannot remove sandbox {}: {}", config.name(), sandbox.id(), e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ static pods

    /** Reads the manifests every {@link #STATIC_POD_CHECK} (or when a mirror pod changed) and keeps pods and mirrors in line. */
    private void staticPodLoop(StaticPods source) {
        while (!closed) {
            try {
                staticWake.tryAcquire(STATIC_POD_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                staticWake.drainPermits();
                if (closed) {
                    return;
                }
                syncStaticPods(source);
                if (pods.hasSynced()) {
                    mirrors.sync(List.copyOf(statics.values()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("node {}: static pods: {}", config.name(), e.getMessage());
                }
            }
        }
    }

    /** Starts a worker for each new manifest and stops the pod of each one removed (or changed: a new uid). */
    private void syncStaticPods(StaticPods source) {
        Map<String, Pod> now = source.scan();
        for (String uid : List.copyOf(statics.keySet())) {
            if (!now.containsKey(uid)) {
                Pod gone = statics.remove(uid);
                log.info("node {}: static pod {}/{} is gone from {}", config.name(), gone.getMetadata().getNamespace(),
                        gone.getMetadata().getName(), source.directory());
                PodWorker worker = workers.get(uid);
                if (worker != null) {
                    worker.removed();
                }
            }
        }
        for (Pod pod : now.values()) {
            String uid = pod.getMetadata().getUid();
            if (statics.putIfAbsent(uid, pod) != null || closed) {
                continue;
            }
            log.info("node {}: static pod {}/{} from {}", config.name(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), source.directory());
            PodWorker worker = new PodWorker(workerNode, pod, () -> workers.remove(uid));
            PodWorker running = workers.putIfAbsent(uid, worker);
            if (running == null) {
                worker.start();
            } else {
                running.update(pod);
            }
        }
    }

    /** The node's name. */
    public String nodeName() {
        return config.name();
    }

    /** The key of the kubelet's endpoint in its host: address:kubeletPort as configured (port 0: shared). */
    String endpoint() {
        return config.address() + ":" + config.kubeletPort();
    }

    /** The node's stats summary, as JSON. */
    byte[] statsSummary() throws LogServer.NotFound {
        if (runtime.simulated()) {
            throw new LogServer.NotFound(400, "node " + config.name() + " is simulated and keeps no stats");
        }
        return stats.json();
    }

    /** The port the kubelet serves logs on. */
    public int port() {
        return logServer.port();
    }

    // ------------------------------------------------------------------ logs

    LogServer.Target findLog(Pod pod, String container, boolean previous) throws LogServer.NotFound {
        String name = pod.getMetadata().getName();
        if (runtime.simulated()) {
            throw new LogServer.NotFound(400, "container \"" + container + "\" in pod \"" + name + "\" is simulated by node "
                    + config.name() + " and writes no logs");
        }
        if (StaticPods.isMirror(pod)) {
            // The logs are the static pod's, under its own uid.
            String hash = StaticPods.annotation(pod, StaticPods.MIRROR);
            pod = Optional.ofNullable(statics.get(hash)).orElseThrow(() ->
                    new LogServer.NotFound(404, "static pod \"" + name + "\" not found on node " + config.name()));
        }
        Path dir = PodWorker.logDirectory(nodeDataDir.resolve("pods"), pod).resolve(container);
        List<Integer> attempts = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.matches("[0-9]+\\.log"))
                    .forEach(f -> attempts.add(Integer.parseInt(f.substring(0, f.length() - 4))));
        } catch (IOException e) {
            // none yet
        }
        attempts.sort(null);
        if (attempts.isEmpty() || (previous && attempts.size() < 2)) {
            throw new LogServer.NotFound(400, previous
                    ? "previous terminated container \"" + container + "\" in pod \"" + name + "\" not found"
                    : "container \"" + container + "\" in pod \"" + name + "\" is waiting to start: ContainerCreating");
        }
        int attempt = previous ? attempts.get(attempts.size() - 2) : attempts.getLast();
        Path file = dir.resolve(attempt + ".log");
        String uid = pod.getMetadata().getUid();
        return new LogServer.Target(file, () -> !previous && runtime.listContainers(new io.kube4j.api.node.ContainerFilter(
                Optional.empty(), Optional.of(ContainerState.RUNNING), Optional.empty(),
                Map.of(PodWorker.LABEL_POD_UID, uid, PodWorker.LABEL_CONTAINER_NAME, container))).stream()
                .anyMatch(c -> c.metadata().attempt() == attempt));
    }

    // ------------------------------------------------------------------ node and lease

    /**
     * Registers, retrying a failure of the connection or of the server with back-off (1, 2, 4, 8 s),
     * as the kubelet keeps trying: a thousand kubelets start together on a busy machine.
     */
    private void registerWithRetries() {
        for (int attempt = 0; ; attempt++) {
            try {
                register();
                return;
            } catch (ApiException e) {
                boolean retriable = e.code() == 0 || e.code() == 429 || e.code() >= 500;
                if (!retriable || attempt >= 4 || closed) {
                    throw e;
                }
                log.info("node {}: registration failed ({}), retrying", config.name(), e.getMessage());
                try {
                    if (stop.await(1000L << attempt, TimeUnit.MILLISECONDS)) {
                        throw e;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void register() {
        Node node = new NodeBuilder().withNewMetadata().withName(config.name()).withLabels(labels()).endMetadata()
                .withNewSpec().endSpec().withStatus(nodeStatus(Instant.now())).build();
        try {
            Node created = client.create(node);
            nodeUid = created.getMetadata().getUid();
            log.debug("registered node {}", config.name());
            if (created.getStatus() != null && node.getStatus().equals(created.getStatus())) {
                lastReported = node.getStatus();
                lastReportedAt = Instant.now();
                return;
            }
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
            Node existing = client.get(Node.class, "", config.name()).orElseThrow(() -> e);
            nodeUid = existing.getMetadata().getUid();
            Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(existing.getMetadata().getLabels()).orElse(Map.of()));
            labels.putAll(labels());
            client.update(new NodeBuilder(existing).editMetadata().withLabels(labels).endMetadata().build());
        }
        reportStatus(true);
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", arch());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", arch());
        labels.put("kubernetes.io/hostname", config.name());
        labels.put("kubernetes.io/os", "linux");
        labels.putAll(config.labels());
        return labels;
    }

    static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private NodeStatus nodeStatus(Instant heartbeat) {
        Map<String, Quantity> capacity = runtime.capacity();
        RuntimeStatus rs = runtime.status();
        String now = PodStatuses.time(heartbeat);
        List<NodeCondition> conditions = List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                rs.ready() ? condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now)
                        : condition("Ready", "False", rs.reason(), rs.message(), now));
        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withConditions(conditions)
                .withAddresses(new NodeAddress(config.address(), "InternalIP"), new NodeAddress(config.name(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(logServer.port()).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withMachineID(MachineInfo.MACHINE_ID)
                .withSystemUUID(MachineInfo.MACHINE_ID)
                .withBootID(MachineInfo.BOOT_ID)
                .withKernelVersion(System.getProperty("os.version"))
                .withOsImage(MachineInfo.OS_IMAGE)
                .withContainerRuntimeVersion(runtime.version().containerRuntimeVersion())
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion("")
                .withOperatingSystem("linux")
                .withArchitecture(arch())
                .endNodeInfo()
                .build();
    }

    private NodeCondition condition(String type, String status, String reason, String message, String now) {
        String since = now;
        if (lastReported != null) {
            since = lastReported.getConditions().stream().filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
                    .map(NodeCondition::getLastTransitionTime).findFirst().orElse(now);
        }
        NodeCondition c = new NodeCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastHeartbeatTime(now);
        c.setLastTransitionTime(since);
        return c;
    }

    /** Read once per process: every node of it is on this machine. */
    private static final class MachineInfo {
        static final String MACHINE_ID = readFirstLine(Path.of("/etc/machine-id"));
        static final String BOOT_ID = readFirstLine(Path.of("/proc/sys/kernel/random/boot_id"));
        static final String OS_IMAGE = osImage();
    }

    private static String readFirstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().orElse("").strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String osImage() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst().orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    /** Writes the Node's status if it changed, or if it was last written {@link #STATUS_REPORT} ago (or {@code force}). */
    private void reportStatus(boolean force) {
        Instant now = Instant.now();
        NodeStatus status = nodeStatus(now);
        if (!force && lastReported != null && withoutHeartbeats(status).equals(withoutHeartbeats(lastReported))
                && Duration.between(lastReportedAt, now).compareTo(STATUS_REPORT) < 0) {
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Node current = client.get(Node.class, "", config.name()).orElse(null);
            if (current == null) {
                register();
                return;
            }
            NodeStatus merged = new NodeStatusBuilder(status).withImages(current.getStatus() == null ? null
                    : current.getStatus().getImages()).build();
            try {
                client.updateStatus(new NodeBuilder(current).withStatus(merged).build());
                lastReported = status;
                lastReportedAt = now;
                return;
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw e;
                }
            }
        }
    }

    private static NodeStatus withoutHeartbeats(NodeStatus status) {
        NodeStatus copy = new NodeStatusBuilder(status).build();
        copy.setConditions(status.getConditions().stream().map(c -> {
            NodeCondition n = new NodeCondition(c.getLastHeartbeatTime(), c.getLastTransitionTime(), c.getMessage(),
                    c.getReason(), c.getStatus(), c.getType());
            n.setLastHeartbeatTime(null);
            return n;
        }).toList());
        return copy;
    }

    private void renewLease() {
        Instant now = Instant.now();
        if (lease != null) {
            try {
                lease = client.update(new LeaseBuilder(lease).editSpec().withHolderIdentity(config.name())
                        .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                        .withRenewTime(now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC)).endSpec().build());
                return;
            } catch (ApiException e) {
                lease = null;
                if (!e.isConflict() && !e.isNotFound()) {
                    throw e;
                }
            }
        }
        // At the first renewal the Lease is most likely new: create it, and look for an old one only on a conflict.
        LeaseBuilder fresh = new LeaseBuilder().withNewMetadata().withNamespace(LEASE_NAMESPACE).withName(config.name())
                .endMetadata().withNewSpec().withHolderIdentity(config.name())
                .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                .withRenewTime(now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC)).endSpec();
        String uid = nodeUid.isEmpty() ? client.get(Node.class, "", config.name()).map(n -> n.getMetadata().getUid()).orElse("")
                : nodeUid;
        if (!uid.isEmpty()) {
            fresh.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(config.name()).withUid(uid).build()).endMetadata();
        }
        try {
            this.lease = client.create(fresh.build());
            return;
        } catch (ApiException e) {
            if (!e.isConflict()) {
                throw e;
            }
        }
        Optional<Lease> current = client.get(Lease.class, LEASE_NAMESPACE, config.name());
        if (current.isEmpty()) {
            return;
        }
        this.lease = client.update(new LeaseBuilder(current.get()).editSpec().withHolderIdentity(config.name())
                .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                .withRenewTime(now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC)).endSpec().build());
    }

    /**
     * Renews the Lease at once (the node lifecycle controller looks for it), then at a random phase
     * of the period, so that the renewals of a thousand nodes started together spread over it.
     */
    private void heartbeatLoop() {
        long wait = HEARTBEAT.toMillis();
        boolean first = true;
        while (!closed) {
            try {
                renewLease();
                reportStatus(false);
                if (!runtime.simulated()) {
                    stats.sample();
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("node {}: heartbeat failed: {}", config.name(), e.getMessage());
                }
            }
            long delay = first ? ThreadLocalRandom.current().nextLong(1, wait + 1) : wait;
            first = false;
            try {
                if (stop.await(delay, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the kubelet: its workers, its runtime (the {@code process} runtime stops its containers), its network, its client. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops the kubelet as {@link #close()} does but leaves the pods' containers running (see
     * {@link ContainerRuntime#detach()}), as a kubelet that stops or crashes does: a kubelet started
     * later for the node adopts them.
     */
    public void detach() {
        close(true);
    }

    private void close(boolean leaveContainers) {
        if (closed) {
            return;
        }
        closed = true;
        stop.countDown();
        staticWake.release();
        if (staticLoop != null) {
            try {
                staticLoop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        host.leave(this);
        workers.values().forEach(PodWorker::close);
        if (heartbeat != null) {
            try {
                heartbeat.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (leaveContainers) {
                runtime.detach();
            } else {
                runtime.close();
            }
        } finally {
            network.close();
            if (events instanceof ApiEventRecorder recorder) {
                recorder.close();
            }
            if (ownsHost) {
                host.close();
            }
        }
    }
}
