package io.kube4j.cri.process;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.node.Container;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.DnsConfig;
import io.kube4j.api.node.ExecSyncResult;
import io.kube4j.api.node.Image;
import io.kube4j.api.node.PodSandbox;
import io.kube4j.api.node.PodSandboxConfig;
import io.kube4j.api.node.LinuxPodSandboxConfig;
import io.kube4j.api.node.NamespaceMode;
import io.kube4j.api.node.PodSandboxFilter;
import io.kube4j.api.node.PodSandboxMetadata;
import io.kube4j.api.node.PodSandboxState;
import io.kube4j.api.node.PodSandboxStatus;
import io.kube4j.api.node.RegistryCredentials;
import io.kube4j.api.node.RuntimeStatus;
import io.kube4j.api.node.VersionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Containers as host process groups. Each container is started through {@code setsid}, so that it
 * leads a new session and process group: stopping it signals the whole group (SIGTERM, then
 * SIGKILL after the timeout), and when its main process ends the rest of the group is killed, as
 * a container's PID namespace would be. Its root directory is under the sandbox's directory (its
 * {@code HOME}, and its working directory unless {@code workingDir} names one below it), each mount
 * is a symbolic link there (a host process cannot mount),
 * its environment is only what the kubelet gives (plus a default {@code PATH}), and its stdout and
 * stderr go to the CRI log file the kubelet names.
 *
 * <p>State is kept under {@code <node data dir>/process-runtime}: {@code sandboxes/<id>/sandbox.json}
 * and {@code containers/<id>/} (see {@link ProcessContainer}). A runtime made on a directory
 * where an earlier one ran (killed, or {@link #detach() detached}) lists its sandboxes and
 * containers again and watches those that still run, so the kubelet adopts them rather than
 * starting them again; {@link #close()} stops every container.
 */
final class ProcessRuntime implements ContainerRuntime {
    static final String RUNTIME_NAME = "kube4j-process";
    static final String VERSION = "0.1.0";
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ProcessRuntimeConfig config;
    private final Path root;
    private final Clock clock;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, ProcessContainer> containers = new ConcurrentHashMap<>();
    private final Map<String, Image> images = new ConcurrentHashMap<>();
    /** The configs of containers created and not yet started: only the start needs the command. */
    private final Map<String, ContainerConfig> configs = new ConcurrentHashMap<>();
    /** Where containers' cpu and memory limits are enforced; empty where this machine does not allow it. */
    private final Optional<Cgroups> cgroups;

    ProcessRuntime(ProcessRuntimeConfig config, Path nodeDataDir, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.root = requireNonNull(nodeDataDir, "nodeDataDir is null").resolve("process-runtime");
        this.clock = requireNonNull(clock, "clock is null");
        this.cgroups = Cgroups.detect(Path.of(config.cgroupRoot()));
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot create " + root + ": " + e.getMessage(), e);
        }
        load();
    }

    /** Lists again what an earlier runtime on this directory left: sandboxes, containers, and the images they name. */
    private void load() {
        for (Path dir : children(root.resolve("sandboxes"))) {
            StateFiles.read(dir.resolve("sandbox.json"), SandboxRecord.class).ifPresent(r -> {
                PodSandboxConfig config = new PodSandboxConfig(new PodSandboxMetadata(r.name(), r.uid(), r.namespace(),
                        r.attempt()), r.hostname(), Path.of(r.logDirectory()), DnsConfig.NONE, List.of(), r.labels(),
                        r.annotations(), r.hostNetwork() ? HOST_NETWORK : LinuxPodSandboxConfig.DEFAULT);
                sandboxes.put(r.id(), new Sandbox(r.id(), config, Instant.parse(r.createdAt()), dir,
                        new java.util.concurrent.atomic.AtomicReference<>(PodSandboxState.valueOf(r.state()))));
            });
        }
        for (Path dir : children(root.resolve("containers"))) {
            ProcessContainer.load(dir, clock, this::oomKilled).ifPresent(c -> {
                containers.put(c.id(), c);
                releaseGroupsOnExit(c);
                images.computeIfAbsent(c.image(), name -> new Image(c.imageRef(), List.of(name), List.of(), 0));
            });
        }
    }

    private static final LinuxPodSandboxConfig HOST_NETWORK = new LinuxPodSandboxConfig("", NamespaceMode.NODE,
            NamespaceMode.CONTAINER, NamespaceMode.POD, false, Optional.empty(), Map.of());

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private void save(Sandbox s) {
        PodSandboxMetadata m = s.config().metadata();
        StateFiles.write(s.dir().resolve("sandbox.json"), new SandboxRecord(s.id(), m.name(), m.uid(), m.namespace(),
                m.attempt(), s.config().hostname(), s.config().logDirectory().toAbsolutePath().toString(),
                s.config().labels(), s.config().annotations(), s.config().linux().hostNetwork(), s.createdAt().toString(),
                s.state().get().name()));
    }

    private record Sandbox(String id, PodSandboxConfig config, Instant createdAt, Path dir,
                           java.util.concurrent.atomic.AtomicReference<PodSandboxState> state) {
        PodSandbox summary() {
            return new PodSandbox(id, config.metadata(), state.get(), createdAt, config.labels(), config.annotations());
        }
    }

    // ------------------------------------------------------------------ runtime

    @Override
    public VersionInfo version() {
        return new VersionInfo(RUNTIME_NAME, VERSION, "v1");
    }

    @Override
    public RuntimeStatus status() {
        return Files.isDirectory(root) && Files.isWritable(root) ? RuntimeStatus.READY
                : new RuntimeStatus(false, "RuntimeDirectoryUnavailable", root + " is not a writable directory");
    }

    @Override
    public Map<String, Quantity> capacity() {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())));
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
        capacity.put("memory", new Quantity(Long.toString(memory / 1024) + "Ki"));
        long disk;
        try {
            disk = Files.getFileStore(root).getTotalSpace();
        } catch (IOException e) {
            disk = 0;
        }
        capacity.put("ephemeral-storage", new Quantity(Long.toString(disk / 1024) + "Ki"));
        capacity.put("pods", new Quantity(Integer.toString(config.pods())));
        return capacity;
    }

    // ------------------------------------------------------------------ sandboxes

    @Override
    public String runPodSandbox(PodSandboxConfig sandboxConfig) {
        String id = newId();
        Path dir = root.resolve("sandboxes").resolve(id);
        try {
            Files.createDirectories(dir);
            Files.createDirectories(sandboxConfig.logDirectory());
            Files.writeString(dir.resolve("resolv.conf"), sandboxConfig.dnsConfig().toResolvConf());
            Files.writeString(dir.resolve("hostname"), sandboxConfig.hostname() + "\n");
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot make sandbox directory " + dir + ": " + e.getMessage(), e);
        }
        Sandbox sandbox = new Sandbox(id, sandboxConfig, clock.instant(), dir,
                new java.util.concurrent.atomic.AtomicReference<>(PodSandboxState.READY));
        Optional<String> netns = netns(sandbox);
        if (netns.isPresent()) {
            addNetworkNamespace(netns.get(), sandboxConfig);
        }
        save(sandbox);
        sandboxes.put(id, sandbox);
        return id;
    }

    @Override
    public void stopPodSandbox(String podSandboxId) {
        Sandbox sandbox = sandboxes.get(podSandboxId);
        if (sandbox == null) {
            return;
        }
        inSandbox(podSandboxId).forEach(c -> c.stop(Duration.ZERO));
        if (sandbox.state().getAndSet(PodSandboxState.NOTREADY) != PodSandboxState.NOTREADY) {
            save(sandbox);
        }
    }

    @Override
    public void removePodSandbox(String podSandboxId) {
        stopPodSandbox(podSandboxId);
        inSandbox(podSandboxId).forEach(c -> removeContainer(c.id()));
        Sandbox sandbox = sandboxes.remove(podSandboxId);
        if (sandbox != null) {
            netns(sandbox).ifPresent(ProcessRuntime::deleteNetworkNamespace);
            deleteTree(sandbox.dir());
        }
    }

    /**
     * The network namespace of a sandbox that has one of its own (its pod is not on the node's
     * network, and the pod network wires namespaces): {@code k4j-} and the id's first 12 characters,
     * an {@code ip netns} name, so that CNI plugins and {@code ip netns exec} find it.
     */
    private static Optional<String> netns(Sandbox sandbox) {
        return sandbox.config().linux().hostNetwork() ? Optional.empty()
                : Optional.of("k4j-" + sandbox.id().substring(0, Math.min(12, sandbox.id().length())));
    }

    private static String netnsPath(String name) {
        return "/var/run/netns/" + name;
    }

    /** Makes the namespace, with its own {@code resolv.conf} when the pod has a DNS config. */
    private static void addNetworkNamespace(String name, PodSandboxConfig config) {
        ip("netns", "add", name);
        if (!config.dnsConfig().equals(DnsConfig.NONE)) {
            Path etc = Path.of("/etc/netns", name);
            try {
                Files.createDirectories(etc);
                Files.writeString(etc.resolve("resolv.conf"), config.dnsConfig().toResolvConf());
            } catch (IOException e) {
                deleteNetworkNamespace(name);
                throw new ContainerRuntimeException("cannot write " + etc.resolve("resolv.conf") + ": " + e.getMessage(), e);
            }
        }
    }

    private static void deleteNetworkNamespace(String name) {
        if (Files.exists(Path.of(netnsPath(name)))) {
            ip("netns", "del", name);
        }
        Path etc = Path.of("/etc/netns", name);
        if (Files.isDirectory(etc)) {
            deleteTree(etc);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new ContainerRuntimeException(String.join(" ", command) + " failed: " + out
                        + " (a network namespace per pod needs root and iproute2)");
            }
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot run " + String.join(" ", command) + ": " + e.getMessage()
                    + " (a network namespace per pod needs iproute2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while running " + String.join(" ", command), e);
        }
    }

    @Override
    public Optional<PodSandboxStatus> podSandboxStatus(String podSandboxId) {
        return Optional.ofNullable(sandboxes.get(podSandboxId)).map(s -> new PodSandboxStatus(s.id(),
                s.config().metadata(), s.state().get(), s.createdAt(), netns(s).map(ProcessRuntime::netnsPath),
                s.config().linux(),
                s.config().labels(), s.config().annotations()));
    }

    @Override
    public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
        return sandboxes.values().stream().map(Sandbox::summary).filter(filter::matches)
                .sorted(Comparator.comparing(PodSandbox::createdAt)).toList();
    }

    private List<ProcessContainer> inSandbox(String podSandboxId) {
        return containers.values().stream().filter(c -> c.sandboxId().equals(podSandboxId)).toList();
    }

    // ------------------------------------------------------------------ containers

    @Override
    public String createContainer(String podSandboxId, ContainerConfig containerConfig, PodSandboxConfig sandboxConfig) {
        Sandbox sandbox = sandboxes.get(podSandboxId);
        if (sandbox == null || sandbox.state().get() != PodSandboxState.READY) {
            throw new ContainerRuntimeException("sandbox " + podSandboxId + " is not ready");
        }
        Image image = images.get(containerConfig.image());
        if (image == null) {
            throw new ContainerRuntimeException("image " + containerConfig.image() + " is not present; pull it first");
        }
        if (containerConfig.command().isEmpty() && containerConfig.args().isEmpty()) {
            throw new ContainerRuntimeException("the process runtime has no image entrypoint: container "
                    + containerConfig.metadata().name() + " needs a command or args");
        }
        String name = containerConfig.metadata().name();
        Path home = sandbox.dir().resolve("containers").resolve(name);
        String wd = containerConfig.workingDir().replaceFirst("^/+", "");
        Path workingDir = wd.isEmpty() ? home : home.resolve(wd).normalize();
        if (!workingDir.startsWith(home)) {
            throw new ContainerRuntimeException("workingDir escapes the container's directory: " + containerConfig.workingDir());
        }
        Path logPath = sandboxConfig.logDirectory().resolve(containerConfig.logPath()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(home);
            link(home, containerConfig.mounts());
            Files.createDirectories(workingDir);
            Files.createDirectories(logPath.getParent());
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot prepare container " + name + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOSTNAME", sandboxConfig.hostname());
        env.put("HOME", home.toString());
        containerConfig.envs().forEach(e -> env.put(e.key(), e.value()));
        String id = newId();
        ContainerRecord record = new ContainerRecord(id, podSandboxId, name, containerConfig.metadata().attempt(),
                containerConfig.image(), image.id(), containerConfig.labels(), containerConfig.annotations(),
                clock.instant().toString(), logPath.toString(), workingDir.toString(), env, 0, -1,
                ContainerState.CREATED.name(), "", "", 0, "", "");
        ProcessContainer container = ProcessContainer.create(root.resolve("containers").resolve(id), record, clock,
                this::oomKilled);
        containers.put(id, container);
        configs.put(id, containerConfig);
        return id;
    }

    /**
     * A host process cannot mount: each mount is a symbolic link at its container path taken
     * relative to the container's root directory ({@code $HOME}, and the working directory unless
     * {@code workingDir} says otherwise), pointing at the host path. Read-only is not enforced.
     */
    private static void link(Path home, List<io.kube4j.api.node.Mount> mounts) throws IOException {
        for (io.kube4j.api.node.Mount mount : mounts) {
            Path at = home.resolve(mount.containerPath().replaceFirst("^/+", "")).normalize();
            if (!at.startsWith(home) || at.equals(home)) {
                throw new ContainerRuntimeException("mount path escapes the container's directory: " + mount.containerPath());
            }
            Files.createDirectories(at.getParent());
            if (Files.isSymbolicLink(at)) {
                Files.delete(at);
            } else if (Files.exists(at)) {
                throw new ContainerRuntimeException("cannot mount at " + mount.containerPath() + ": " + at + " exists");
            }
            Files.createSymbolicLink(at, mount.hostPath().toAbsolutePath());
        }
    }

    @Override
    public void startContainer(String containerId) {
        ProcessContainer container = containers.get(containerId);
        if (container == null) {
            throw new ContainerRuntimeException("no such container: " + containerId);
        }
        ContainerConfig config = configs.remove(containerId);
        if (config == null) {
            throw new ContainerRuntimeException("container " + containerId + " is " + container.state() + ", not CREATED");
        }
        List<Path> procs = List.of();
        if (cgroups.isPresent() && Cgroups.limits(config.resources())) {
            try {
                procs = cgroups.get().create(containerId, config.resources());
            } catch (IOException e) {
                throw new ContainerRuntimeException("cannot make the control groups of container " + containerId + ": "
                        + e.getMessage(), e);
            }
        }
        container.start(config, Optional.ofNullable(sandboxes.get(container.sandboxId())).flatMap(ProcessRuntime::netns),
                procs);
        if (!procs.isEmpty()) {
            releaseGroupsOnExit(container);
        }
    }

    /**
     * Once the container ends (its reason decided, OOMKilled included), removes its control groups,
     * so that none outlives its container (a stop of the runtime included).
     */
    private void releaseGroupsOnExit(ProcessContainer container) {
        cgroups.ifPresent(c -> container.exited().thenRun(() -> c.remove(container.id())));
    }

    /** How long a SIGKILL's end waits for the kernel to count it as an OOM kill: it counts just after it signals. */
    private static final Duration OOM_COUNT_WAIT = Duration.ofMillis(200);

    /**
     * Whether the kernel's OOM killer ended container {@code id}: its memory group counted an OOM
     * kill. Asked by the container as it ends with a SIGKILL the runtime did not send; the kernel
     * counts the kill just after sending the signal, so a count of 0 is read again for a moment.
     */
    private boolean oomKilled(String id) {
        if (cgroups.isEmpty() || !cgroups.get().exists(id)) {
            return false;
        }
        long deadline = System.nanoTime() + OOM_COUNT_WAIT.toNanos();
        while (!cgroups.get().oomKilled(id)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** True where this machine lets the runtime make control groups (cgroup v1 or v2, as root). */
    @Override
    public boolean enforcesResourceLimits() {
        return cgroups.isPresent();
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        ProcessContainer container = containers.get(containerId);
        if (container != null) {
            container.stop(timeout);
        }
    }

    @Override
    public void removeContainer(String containerId) {
        ProcessContainer container = containers.get(containerId);
        if (container != null) {
            container.stop(Duration.ZERO);
            containers.remove(containerId);
            configs.remove(containerId);
            cgroups.ifPresent(c -> c.remove(containerId));
            deleteTree(container.directory());
        }
    }

    @Override
    public List<Container> listContainers(ContainerFilter filter) {
        return containers.values().stream().map(ProcessContainer::summary).filter(filter::matches)
                .sorted(Comparator.comparing(Container::createdAt)).toList();
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.ofNullable(containers.get(containerId)).map(ProcessContainer::status);
    }

    /**
     * The container's process group, read from {@code /proc}: its working set is its resident set.
     * One pass over {@code /proc} measures every running container and serves for {@link #STATS_MAX_AGE},
     * so that a summary of many containers costs one pass, not one each.
     */
    @Override
    public Optional<io.kube4j.api.node.ContainerStats> containerStats(String containerId) {
        ProcessContainer container = containers.get(containerId);
        if (container == null || container.state() != ContainerState.RUNNING || container.pid().isEmpty()) {
            return Optional.empty();
        }
        long pgid = container.pid().get();
        StatsSnapshot snapshot = stats;
        if (snapshot == null || System.nanoTime() - snapshot.nanoTime() > STATS_MAX_AGE.toNanos()
                || !snapshot.usage().containsKey(pgid)) {
            java.util.Set<Long> groups = new java.util.HashSet<>();
            containers.values().stream().filter(c -> c.state() == ContainerState.RUNNING)
                    .forEach(c -> c.pid().ifPresent(groups::add));
            groups.add(pgid);
            snapshot = new StatsSnapshot(System.nanoTime(), clock.instant(), ProcStats.groups(groups));
            stats = snapshot;
        }
        ProcStats.Usage usage = snapshot.usage().getOrDefault(pgid, new ProcStats.Usage(0, 0));
        return Optional.of(new io.kube4j.api.node.ContainerStats(containerId, snapshot.at(), usage.cpuNanos(),
                usage.rssBytes(), usage.rssBytes()));
    }

    static final Duration STATS_MAX_AGE = Duration.ofMillis(200);

    private record StatsSnapshot(long nanoTime, Instant at, Map<Long, ProcStats.Usage> usage) {
    }

    private volatile StatsSnapshot stats;

    @Override
    public ExecSyncResult execSync(String containerId, List<String> command, Duration timeout) {
        ProcessContainer container = containers.get(containerId);
        if (container == null || container.state() != ContainerState.RUNNING) {
            throw new ContainerRuntimeException("container " + containerId + " is not running");
        }
        if (command.isEmpty()) {
            throw new ContainerRuntimeException("exec needs a command");
        }
        List<String> argv = new ArrayList<>();
        Optional.ofNullable(sandboxes.get(container.sandboxId())).flatMap(ProcessRuntime::netns)
                .ifPresent(n -> argv.addAll(List.of("ip", "netns", "exec", n)));
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(container.workingDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(container.env());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = readAll(process.getInputStream());
            CompletableFuture<byte[]> err = readAll(process.getErrorStream());
            boolean done = true;
            if (timeout.isZero()) {
                process.waitFor();
            } else {
                done = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new ExecSyncResult(drain(out), drain(err), -1);
            }
            return new ExecSyncResult(drain(out), drain(err), process.exitValue());
        } catch (IOException e) {
            throw new ContainerRuntimeException("exec in " + containerId + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("exec in " + containerId + " interrupted", e);
        }
    }

    private static CompletableFuture<byte[]> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Thread::startVirtualThread);
    }

    private static byte[] drain(CompletableFuture<byte[]> output) {
        try {
            return output.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return new byte[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new byte[0];
        }
    }

    @Override
    public void reopenContainerLog(String containerId) {
        ProcessContainer container = containers.get(containerId);
        if (container != null) {
            container.reopenLog();
        }
    }

    // ------------------------------------------------------------------ images

    /** There is no registry: the image name is recorded, its id is a digest of the name. */
    @Override
    public String pullImage(String image, Optional<RegistryCredentials> credentials) {
        return images.computeIfAbsent(image, name -> new Image(imageId(name), List.of(name), List.of(), 0)).id();
    }

    @Override
    public List<Image> listImages() {
        return images.values().stream().distinct().sorted(Comparator.comparing(Image::id)).toList();
    }

    @Override
    public Optional<Image> imageStatus(String image) {
        Image byName = images.get(image);
        if (byName != null) {
            return Optional.of(byName);
        }
        return images.values().stream().filter(i -> i.id().equals(image)).findFirst();
    }

    @Override
    public void removeImage(String image) {
        Optional<Image> present = imageStatus(image);
        if (present.isEmpty()) {
            return;
        }
        boolean used = containers.values().stream().anyMatch(c -> c.imageRef().equals(present.get().id())
                && c.state() != ContainerState.EXITED);
        if (used) {
            throw new ContainerRuntimeException("image " + image + " is used by a container");
        }
        present.get().repoTags().forEach(images::remove);
    }

    static String imageId(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The pid of a container's wrapper, the leader of its process group. */
    Optional<Long> pidOf(String containerId) {
        return Optional.ofNullable(containers.get(containerId)).flatMap(ProcessContainer::pid);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Left for the next cleanup; the sandbox is gone from the runtime either way.
        }
    }

    /** Stops every container: a runtime closed this way leaves nothing running. */
    @Override
    public void close() {
        containers.values().parallelStream().forEach(c -> c.stop(Duration.ZERO));
    }

    /** Stops watching the containers and leaves them running, for a runtime made later on the same directory. */
    @Override
    public void detach() {
        containers.values().parallelStream().forEach(ProcessContainer::detach);
    }
}
