package io.kube4j.cri.simulated;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.node.Container;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerEvent;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.ExecSyncResult;
import io.kube4j.api.node.Image;
import io.kube4j.api.node.PodSandbox;
import io.kube4j.api.node.PodSandboxConfig;
import io.kube4j.api.node.PodSandboxFilter;
import io.kube4j.api.node.PodSandboxState;
import io.kube4j.api.node.PodSandboxStatus;
import io.kube4j.api.node.RegistryCredentials;
import io.kube4j.api.node.RuntimeStatus;
import io.kube4j.api.node.VersionInfo;
import io.kube4j.api.plugin.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Containers that are only records. {@link #startContainer} takes {@code startDelay} and leaves
 * the container RUNNING; a container of a pod annotated {@value #SIMULATE}{@code : complete}
 * exits 0 after {@code runFor} (or the pod's {@value #RUN_FOR} annotation), with {@code fail} it
 * exits {@value #EXIT_CODE} or 1; the exit is reported to the kubelet as a container event, so
 * that it does not poll. A stopped container exits 143, as after SIGTERM.
 *
 * <p>State is in memory and lost on close; nothing is written to disk.
 */
final class SimulatedRuntime implements ContainerRuntime {
    static final String RUNTIME_NAME = "kube4j-simulated";
    static final String VERSION = "0.1.0";
    /** {@code complete} or {@code fail}: the pod's containers exit after {@code runFor}. */
    static final String SIMULATE = "kube4j.io/simulate";
    /** The exit code of a {@code fail} pod's containers; default 1. */
    static final String EXIT_CODE = "kube4j.io/simulate-exit-code";
    /** How long a {@code complete} or {@code fail} pod's containers run, as a Go duration; default the config's {@code runFor}. */
    static final String RUN_FOR = "kube4j.io/simulate-run-for";
    static final int STOPPED_EXIT_CODE = 143;

    private final Duration startDelay;
    private final Duration runFor;
    private final Map<String, Quantity> capacity;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix = Long.toHexString(System.nanoTime());
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, SimContainer> containers = new ConcurrentHashMap<>();
    private final Map<String, Image> images = new ConcurrentHashMap<>();
    private final Set<Thread> timers = ConcurrentHashMap.newKeySet();
    private volatile Consumer<ContainerEvent> listener = e -> { };
    private volatile boolean closed;

    SimulatedRuntime(SimulatedRuntimeConfig config, Clock clock) {
        requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startDelay = config.startDelayDuration();
        this.runFor = config.runForDuration();
        Map<String, Quantity> c = new LinkedHashMap<>();
        config.capacity().forEach((name, value) -> c.put(name, new Quantity(value)));
        this.capacity = Map.copyOf(c);
    }

    private record Sandbox(String id, PodSandboxConfig config, Instant createdAt, AtomicReference<PodSandboxState> state) {
        PodSandbox summary() {
            return new PodSandbox(id, config.metadata(), state.get(), createdAt, config.labels(), config.annotations());
        }
    }

    /** A container's changing part, replaced as a whole. */
    private record Life(ContainerState state, Optional<Instant> startedAt, Optional<Instant> finishedAt, int exitCode,
                        String reason) {
    }

    private record SimContainer(String id, String sandboxId, PodSandboxConfig sandbox, ContainerConfig config,
                                String imageRef, Instant createdAt, AtomicReference<Life> life) {
        Container summary() {
            return new Container(id, sandboxId, config.metadata(), config.image(), imageRef, life.get().state(), createdAt,
                    config.labels(), config.annotations());
        }

        ContainerStatus status() {
            Life l = life.get();
            return new ContainerStatus(id, config.metadata(), l.state(), createdAt, l.startedAt(), l.finishedAt(),
                    l.exitCode(), config.image(), imageRef, l.reason(), "", config.labels(), config.annotations(), "");
        }
    }

    // ------------------------------------------------------------------ runtime

    @Override
    public VersionInfo version() {
        return new VersionInfo(RUNTIME_NAME, VERSION, "v1");
    }

    @Override
    public RuntimeStatus status() {
        return RuntimeStatus.READY;
    }

    @Override
    public Map<String, Quantity> capacity() {
        return capacity;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public boolean watchContainerEvents(Consumer<ContainerEvent> eventListener) {
        this.listener = requireNonNull(eventListener, "eventListener is null");
        return true;
    }

    private String newId() {
        return idPrefix + Long.toHexString(ids.incrementAndGet());
    }

    // ------------------------------------------------------------------ sandboxes

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        String id = newId();
        sandboxes.put(id, new Sandbox(id, config, clock.instant(), new AtomicReference<>(PodSandboxState.READY)));
        return id;
    }

    @Override
    public void stopPodSandbox(String podSandboxId) {
        Sandbox sandbox = sandboxes.get(podSandboxId);
        if (sandbox == null) {
            return;
        }
        containersOf(podSandboxId).forEach(c -> stopContainer(c.id(), Duration.ZERO));
        sandbox.state().set(PodSandboxState.NOTREADY);
    }

    @Override
    public void removePodSandbox(String podSandboxId) {
        stopPodSandbox(podSandboxId);
        containersOf(podSandboxId).forEach(c -> containers.remove(c.id()));
        sandboxes.remove(podSandboxId);
    }

    private List<SimContainer> containersOf(String podSandboxId) {
        return containers.values().stream().filter(c -> c.sandboxId().equals(podSandboxId)).toList();
    }

    @Override
    public Optional<PodSandboxStatus> podSandboxStatus(String podSandboxId) {
        Sandbox s = sandboxes.get(podSandboxId);
        return s == null ? Optional.empty() : Optional.of(new PodSandboxStatus(s.id(), s.config().metadata(), s.state().get(),
                s.createdAt(), Optional.empty(), s.config().linux(), s.config().labels(), s.config().annotations()));
    }

    @Override
    public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
        return sandboxes.values().stream().map(Sandbox::summary).filter(filter::matches)
                .sorted(Comparator.comparing(PodSandbox::createdAt)).toList();
    }

    // ------------------------------------------------------------------ containers

    @Override
    public String createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        Sandbox sandbox = sandboxes.get(podSandboxId);
        if (sandbox == null || sandbox.state().get() != PodSandboxState.READY) {
            throw new ContainerRuntimeException("sandbox " + podSandboxId + " is not ready");
        }
        Image image = imageStatus(config.image()).orElseThrow(() ->
                new ContainerRuntimeException("image " + config.image() + " is not present"));
        String id = newId();
        containers.put(id, new SimContainer(id, podSandboxId, sandbox.config(), config, image.id(), clock.instant(),
                new AtomicReference<>(new Life(ContainerState.CREATED, Optional.empty(), Optional.empty(), 0, ""))));
        return id;
    }

    /** Takes {@code startDelay}, then the container runs; a container of a pod that simulates an end gets its timer. */
    @Override
    public void startContainer(String containerId) {
        SimContainer c = containers.get(containerId);
        if (c == null || c.life().get().state() != ContainerState.CREATED) {
            throw new ContainerRuntimeException("container " + containerId + " is not CREATED");
        }
        if (!startDelay.isZero()) {
            try {
                Thread.sleep(startDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerRuntimeException("interrupted while starting " + containerId);
            }
        }
        Life created = c.life().get();
        Life running = new Life(ContainerState.RUNNING, Optional.of(clock.instant()), Optional.empty(), 0, "");
        if (created.state() != ContainerState.CREATED || !c.life().compareAndSet(created, running)) {
            throw new ContainerRuntimeException("container " + containerId + " was stopped while starting");
        }
        Optional<Ending> ending = ending(c.sandbox().annotations());
        if (ending.isPresent() && !closed) {
            Thread timer = Thread.ofVirtual().name("simulated-exit-" + containerId).unstarted(() -> {
                try {
                    Thread.sleep(ending.get().after());
                    exit(c, running, ending.get().exitCode(), ending.get().exitCode() == 0 ? "Completed" : "Error");
                } catch (InterruptedException e) {
                    // the runtime closes
                } finally {
                    timers.remove(Thread.currentThread());
                }
            });
            timers.add(timer);
            timer.start();
        }
    }

    /** When and how a pod's containers end by themselves, if its annotations say so. */
    private record Ending(Duration after, int exitCode) {
    }

    private Optional<Ending> ending(Map<String, String> annotations) {
        String simulate = annotations.get(SIMULATE);
        if (simulate == null) {
            return Optional.empty();
        }
        Duration after = runFor;
        String runForText = annotations.get(RUN_FOR);
        if (runForText != null) {
            try {
                after = Durations.parse(RUN_FOR, runForText);
            } catch (IllegalArgumentException e) {
                throw new ContainerRuntimeException("annotation " + e.getMessage());
            }
        }
        return switch (simulate) {
            case "complete" -> Optional.of(new Ending(after, 0));
            case "fail" -> {
                int code = 1;
                String text = annotations.get(EXIT_CODE);
                if (text != null) {
                    try {
                        code = Integer.parseInt(text.strip());
                    } catch (NumberFormatException e) {
                        throw new ContainerRuntimeException("annotation " + EXIT_CODE + " is not an integer: " + text);
                    }
                }
                yield Optional.of(new Ending(after, code == 0 ? 1 : code));
            }
            default -> throw new ContainerRuntimeException("annotation " + SIMULATE + " must be complete or fail, not "
                    + simulate);
        };
    }

    /** Ends the container if it is still in {@code from}, and tells the kubelet. */
    private void exit(SimContainer c, Life from, int exitCode, String reason) {
        Instant now = clock.instant();
        Life exited = new Life(ContainerState.EXITED, from.startedAt(), Optional.of(now), exitCode, reason);
        if (c.life().compareAndSet(from, exited)) {
            listener.accept(new ContainerEvent(c.id(), c.sandboxId(), c.sandbox().metadata(), ContainerState.EXITED, now));
        }
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        SimContainer c = containers.get(containerId);
        while (c != null) {
            Life l = c.life().get();
            if (l.state() == ContainerState.EXITED) {
                return;
            }
            Life exited = new Life(ContainerState.EXITED, l.startedAt(), Optional.of(clock.instant()), STOPPED_EXIT_CODE,
                    "Error");
            if (c.life().compareAndSet(l, exited)) {
                return;
            }
        }
    }

    @Override
    public void removeContainer(String containerId) {
        stopContainer(containerId, Duration.ZERO);
        containers.remove(containerId);
    }

    /** Looks at the labels before making a summary: the kubelet lists a pod's containers by its uid label, every pass. */
    @Override
    public List<Container> listContainers(ContainerFilter filter) {
        return containers.values().stream()
                .filter(c -> c.config().labels().entrySet().containsAll(filter.labelSelector().entrySet()))
                .map(SimContainer::summary).filter(filter::matches)
                .sorted(Comparator.comparing(Container::createdAt)).toList();
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.ofNullable(containers.get(containerId)).map(SimContainer::status);
    }

    /** Every command succeeds at once with no output: there is nothing to run it in. */
    @Override
    public ExecSyncResult execSync(String containerId, List<String> command, Duration timeout) {
        SimContainer c = containers.get(containerId);
        if (c == null || c.life().get().state() != ContainerState.RUNNING) {
            throw new ContainerRuntimeException("container " + containerId + " is not running");
        }
        return new ExecSyncResult(new byte[0], new byte[0], 0);
    }

    @Override
    public void reopenContainerLog(String containerId) {
        // There is no log file.
    }

    // ------------------------------------------------------------------ images

    /** There is no registry: the image name is recorded, its id is a digest of the name. */
    @Override
    public String pullImage(String image, Optional<RegistryCredentials> credentials) {
        return images.computeIfAbsent(image, name -> new Image(imageId(name), List.of(name), List.of(), 0)).id();
    }

    @Override
    public List<Image> listImages() {
        return images.values().stream().sorted(Comparator.comparing(Image::id)).toList();
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
        imageStatus(image).ifPresent(present -> {
            if (containers.values().stream().anyMatch(c -> c.imageRef().equals(present.id())
                    && c.life().get().state() != ContainerState.EXITED)) {
                throw new ContainerRuntimeException("image " + image + " is used by a container");
            }
            images.values().removeIf(i -> i.id().equals(present.id()));
        });
    }

    private static String imageId(String name) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets every sandbox and container and stops the exit timers. */
    @Override
    public void close() {
        closed = true;
        timers.forEach(Thread::interrupt);
        timers.clear();
        containers.clear();
        sandboxes.clear();
    }
}
