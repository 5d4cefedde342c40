package io.kube4j.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestContainerRuntime {

    /** A runtime that runs nothing and only keeps records, the way {@code simulated} will. */
    static final class ToyRuntime implements ContainerRuntime {
        private final Map<String, PodSandboxStatus> sandboxes = new LinkedHashMap<>();
        private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
        private final Map<String, String> containerSandbox = new HashMap<>();
        private final Map<String, Image> images = new HashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        final AtomicInteger pulls = new AtomicInteger();

        @Override
        public VersionInfo version() {
            return new VersionInfo("kube4j-toy", "0.1.0", "v1");
        }

        @Override
        public RuntimeStatus status() {
            return RuntimeStatus.READY;
        }

        @Override
        public String runPodSandbox(PodSandboxConfig config) {
            String id = "sandbox-" + ids.incrementAndGet();
            sandboxes.put(id, new PodSandboxStatus(id, config.metadata(), PodSandboxState.READY, Instant.EPOCH,
                    Optional.empty(), config.linux(), config.labels(), config.annotations()));
            return id;
        }

        @Override
        public void stopPodSandbox(String podSandboxId) {
            PodSandboxStatus sandbox = sandboxes.get(podSandboxId);
            if (sandbox == null) {
                return;
            }
            containerSandbox.forEach((container, sandboxId) -> {
                if (sandboxId.equals(podSandboxId)) {
                    stopContainer(container, Duration.ZERO);
                }
            });
            sandboxes.put(podSandboxId, new PodSandboxStatus(podSandboxId, sandbox.metadata(), PodSandboxState.NOTREADY,
                    sandbox.createdAt(), sandbox.networkNamespacePath(), sandbox.linux(), sandbox.labels(),
                    sandbox.annotations()));
        }

        @Override
        public void removePodSandbox(String podSandboxId) {
            List.copyOf(containerSandbox.keySet()).stream()
                    .filter(container -> containerSandbox.get(container).equals(podSandboxId))
                    .forEach(this::removeContainer);
            sandboxes.remove(podSandboxId);
        }

        @Override
        public Optional<PodSandboxStatus> podSandboxStatus(String podSandboxId) {
            return Optional.ofNullable(sandboxes.get(podSandboxId));
        }

        @Override
        public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
            return sandboxes.values().stream()
                    .map(s -> new PodSandbox(s.id(), s.metadata(), s.state(), s.createdAt(), s.labels(), s.annotations()))
                    .filter(filter::matches).toList();
        }

        @Override
        public String createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
            if (podSandboxStatus(podSandboxId).map(PodSandboxStatus::state).orElse(null) != PodSandboxState.READY) {
                throw new ContainerRuntimeException("sandbox " + podSandboxId + " is not ready");
            }
            Image image = imageStatus(config.image())
                    .orElseThrow(() -> new ContainerRuntimeException("image " + config.image() + " is not present"));
            String id = "container-" + ids.incrementAndGet();
            containers.put(id, new ContainerStatus(id, config.metadata(), ContainerState.CREATED, Instant.EPOCH,
                    Optional.empty(), Optional.empty(), 0, config.image(), image.id(), "", "", config.labels(),
                    config.annotations(), sandboxConfig.logDirectory().resolve(config.logPath()).toString()));
            containerSandbox.put(id, podSandboxId);
            return id;
        }

        @Override
        public void startContainer(String containerId) {
            ContainerStatus status = containerStatus(containerId)
                    .orElseThrow(() -> new ContainerRuntimeException("no container " + containerId));
            if (status.state() != ContainerState.CREATED) {
                throw new ContainerRuntimeException("container " + containerId + " is " + status.state());
            }
            containers.put(containerId, with(status, ContainerState.RUNNING, Optional.of(Instant.EPOCH), Optional.empty(), 0, ""));
        }

        @Override
        public void stopContainer(String containerId, Duration timeout) {
            ContainerStatus status = containers.get(containerId);
            if (status == null || status.state() == ContainerState.EXITED) {
                return;
            }
            containers.put(containerId, with(status, ContainerState.EXITED, status.startedAt(),
                    Optional.of(Instant.EPOCH.plusSeconds(1)), 137, "Error"));
        }

        @Override
        public void removeContainer(String containerId) {
            containers.remove(containerId);
            containerSandbox.remove(containerId);
        }

        @Override
        public List<Container> listContainers(ContainerFilter filter) {
            return containers.values().stream()
                    .map(c -> new Container(c.id(), containerSandbox.get(c.id()), c.metadata(), c.image(), c.imageRef(),
                            c.state(), c.createdAt(), c.labels(), c.annotations()))
                    .filter(filter::matches).toList();
        }

        @Override
        public Optional<ContainerStatus> containerStatus(String containerId) {
            return Optional.ofNullable(containers.get(containerId));
        }

        @Override
        public ExecSyncResult execSync(String containerId, List<String> command, Duration timeout) {
            return new ExecSyncResult(String.join(" ", command).getBytes(), new byte[0], 0);
        }

        @Override
        public void reopenContainerLog(String containerId) {
        }

        @Override
        public String pullImage(String image, Optional<RegistryCredentials> credentials) {
            return images.computeIfAbsent(image, name -> {
                pulls.incrementAndGet();
                return new Image("sha256:" + Integer.toHexString(name.hashCode()), List.of(name), List.of(), 1024);
            }).id();
        }

        @Override
        public List<Image> listImages() {
            return List.copyOf(images.values());
        }

        @Override
        public Optional<Image> imageStatus(String image) {
            return Optional.ofNullable(images.get(image));
        }

        @Override
        public void removeImage(String image) {
            images.remove(image);
        }

        @Override
        public Map<String, Quantity> capacity() {
            return Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                    "ephemeral-storage", new Quantity("100Gi"), "pods", new Quantity("110"));
        }

        @Override
        public void close() {
        }

        private static ContainerStatus with(ContainerStatus s, ContainerState state, Optional<Instant> startedAt,
                                            Optional<Instant> finishedAt, int exitCode, String reason) {
            return new ContainerStatus(s.id(), s.metadata(), state, s.createdAt(), startedAt, finishedAt, exitCode,
                    s.image(), s.imageRef(), reason, "", s.labels(), s.annotations(), s.logPath());
        }
    }

    private static PodSandboxConfig sandboxConfig(String name) {
        return new PodSandboxConfig(new PodSandboxMetadata(name, "uid-" + name, "default", 0), name,
                Path.of("/var/log/pods/default_" + name), new DnsConfig(List.of("10.96.0.10"),
                List.of("default.svc.cluster.local", "svc.cluster.local"), List.of("ndots:5")),
                List.of(new PortMapping(Protocol.TCP, 80, 8080, "")), Map.of("io.kubernetes.pod.name", name), Map.of(),
                LinuxPodSandboxConfig.DEFAULT);
    }

    private static ContainerConfig containerConfig(String name) {
        return new ContainerConfig(new ContainerMetadata(name, 0), "nginx:1.27", List.of(), List.of("-g", "daemon off;"),
                "", List.of(new EnvEntry("PORT", "80")), List.of(), name + "/0.log", LinuxContainerResources.UNLIMITED,
                Map.of("io.kubernetes.container.name", name), Map.of(), false, false);
    }

    @Test
    void aPodGoesThroughItsLifeAndStopsIdempotently() {
        ToyRuntime runtime = new ToyRuntime();
        PodSandboxConfig sandboxConfig = sandboxConfig("web");
        String imageRef = runtime.pullImage("nginx:1.27", Optional.empty());
        assertThat(runtime.pullImage("nginx:1.27", Optional.empty())).isEqualTo(imageRef);
        assertThat(runtime.pulls).hasValue(1);

        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(sandbox, containerConfig("nginx"), sandboxConfig);
        assertThat(runtime.containerStatus(container).orElseThrow().state()).isEqualTo(ContainerState.CREATED);
        runtime.startContainer(container);
        assertThatThrownBy(() -> runtime.startContainer(container)).isInstanceOf(ContainerRuntimeException.class);

        ContainerStatus running = runtime.containerStatus(container).orElseThrow();
        assertThat(running.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(running.imageRef()).isEqualTo(imageRef);
        assertThat(running.logPath()).isEqualTo("/var/log/pods/default_web/nginx/0.log");

        runtime.stopContainer(container, Duration.ofSeconds(30));
        runtime.stopContainer(container, Duration.ofSeconds(30));
        ContainerStatus exited = runtime.containerStatus(container).orElseThrow();
        assertThat(exited.state()).isEqualTo(ContainerState.EXITED);
        assertThat(exited.exitCode()).isEqualTo(137);

        runtime.stopPodSandbox(sandbox);
        runtime.stopPodSandbox(sandbox);
        assertThat(runtime.podSandboxStatus(sandbox).orElseThrow().state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThatThrownBy(() -> runtime.createContainer(sandbox, containerConfig("late"), sandboxConfig))
                .isInstanceOf(ContainerRuntimeException.class);
        runtime.removePodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);
        assertThat(runtime.listPodSandbox(PodSandboxFilter.ALL)).isEmpty();
        assertThat(runtime.listContainers(ContainerFilter.ALL)).isEmpty();
        assertThat(runtime.version().containerRuntimeVersion()).isEqualTo("kube4j-toy://0.1.0");
    }

    @Test
    void filtersMatchEverySetCondition() {
        ToyRuntime runtime = new ToyRuntime();
        runtime.pullImage("nginx:1.27", Optional.empty());
        String web = runtime.runPodSandbox(sandboxConfig("web"));
        String db = runtime.runPodSandbox(sandboxConfig("db"));
        String webContainer = runtime.createContainer(web, containerConfig("nginx"), sandboxConfig("web"));
        runtime.createContainer(db, containerConfig("postgres"), sandboxConfig("db"));
        runtime.stopPodSandbox(db);

        assertThat(runtime.listPodSandbox(new PodSandboxFilter(Optional.empty(), Optional.of(PodSandboxState.READY), Map.of())))
                .extracting(PodSandbox::id).containsExactly(web);
        assertThat(runtime.listPodSandbox(new PodSandboxFilter(Optional.empty(), Optional.empty(),
                Map.of("io.kubernetes.pod.name", "db")))).extracting(PodSandbox::id).containsExactly(db);
        assertThat(runtime.listPodSandbox(new PodSandboxFilter(Optional.of(web), Optional.of(PodSandboxState.NOTREADY),
                Map.of()))).isEmpty();
        assertThat(runtime.listContainers(ContainerFilter.inSandbox(web))).extracting(Container::id).containsExactly(webContainer);
        assertThat(runtime.listContainers(new ContainerFilter(Optional.empty(), Optional.of(ContainerState.CREATED),
                Optional.empty(), Map.of("io.kubernetes.container.name", "nginx")))).extracting(Container::id)
                .containsExactly(webContainer);
    }

    @Test
    void recordsRejectWhatTheCriWouldReject() {
        assertThatThrownBy(() -> new PortMapping(Protocol.TCP, 80, 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnvEntry("A=B", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mount("relative", Path.of("/x"), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinuxContainerResources(0, 0, 0, 0, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodSandboxMetadata("web", "", "default", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RuntimeStatus(false, "", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinuxPodSandboxConfig("", NamespaceMode.CONTAINER, NamespaceMode.POD,
                NamespaceMode.POD, false, Optional.empty(), Map.of())).isInstanceOf(IllegalArgumentException.class);
        ContainerStatus created = new ContainerStatus("c", new ContainerMetadata("c", 0), ContainerState.CREATED,
                Instant.EPOCH, Optional.empty(), Optional.empty(), 0, "i", "r", "", "", Map.of(), Map.of(), "/l");
        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        assertThatThrownBy(() -> new ContainerStatus("c", new ContainerMetadata("c", 0), ContainerState.EXITED,
                Instant.EPOCH, Optional.of(Instant.EPOCH), Optional.empty(), 1, "i", "r", "", "", Map.of(), Map.of(), "/l"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> containerConfigWithLogPath("/abs.log")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RegistryCredentials("me", "s3cret").toString()).doesNotContain("s3cret");
    }

    private static ContainerConfig containerConfigWithLogPath(String logPath) {
        ContainerConfig config = containerConfig("c");
        return new ContainerConfig(config.metadata(), config.image(), config.command(), config.args(), config.workingDir(),
                config.envs(), config.mounts(), logPath, config.resources(), config.labels(), config.annotations(),
                false, false);
    }

    @Test
    void execResultsAreImmutableValues() {
        byte[] out = "ok\n".getBytes();
        ExecSyncResult result = new ExecSyncResult(out, new byte[0], 0);
        out[0] = 'X';
        result.stdout()[1] = 'X';
        assertThat(result.stdoutUtf8()).isEqualTo("ok\n");
        assertThat(result).isEqualTo(new ExecSyncResult("ok\n".getBytes(), new byte[0], 0));
        assertThat(result).isNotEqualTo(new ExecSyncResult("ok\n".getBytes(), new byte[0], 1));
    }

    @Test
    void dnsConfigWritesResolvConf() {
        assertThat(sandboxConfig("web").dnsConfig().toResolvConf()).isEqualTo("""
                nameserver 10.96.0.10
                search default.svc.cluster.local svc.cluster.local
                options ndots:5
                """);
        assertThat(DnsConfig.NONE.toResolvConf()).isEmpty();
    }

    @Test
    void capacityNamesTheResourcesTheKubeletReports() {
        assertThat(new ToyRuntime().capacity()).containsKeys("cpu", "memory", "ephemeral-storage", "pods");
    }
}
