package io.kube4j.cri.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerFilter;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import io.kube4j.api.node.DnsConfig;
import io.kube4j.api.node.EnvEntry;
import io.kube4j.api.node.LinuxContainerResources;
import io.kube4j.api.node.LinuxPodSandboxConfig;
import io.kube4j.api.node.NamespaceMode;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodSandboxConfig;
import io.kube4j.api.node.PodSandboxFilter;
import io.kube4j.api.node.PodSandboxMetadata;
import io.kube4j.api.node.PodSandboxState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime with real processes: start, logs, exit codes, stop by SIGTERM then SIGKILL to the group. */
@Timeout(60)
class TestProcessRuntime {
    /** Most tests run their pod on the node's network, as under the {@code host} pod network. */
    private static final LinuxPodSandboxConfig NODE_NETWORK = new LinuxPodSandboxConfig("", NamespaceMode.NODE,
            NamespaceMode.CONTAINER, NamespaceMode.POD, false, Optional.empty(), Map.of());
    @TempDir
    Path dir;
    private ContainerRuntime runtime;
    private ContainerRuntimeFactory<?> factory;
    private PodSandboxConfig sandboxConfig;
    private String sandbox;

    @BeforeEach
    void open() throws Exception {
        factory = ServiceLoader.load(ContainerRuntimeFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("process")).findFirst().orElseThrow();
        runtime = create(factory, Map.of("pods", 7));
        sandboxConfig = new PodSandboxConfig(new PodSandboxMetadata("web", "uid-1", "default", 0), "web",
                dir.resolve("logs"), DnsConfig.NONE, List.of(), Map.of("pod", "web"), Map.of(), NODE_NETWORK);
        sandbox = runtime.runPodSandbox(sandboxConfig);
    }

    @SuppressWarnings("unchecked")
    private <C> ContainerRuntime create(ContainerRuntimeFactory<C> factory, Map<String, Object> config) {
        C bound = new ObjectMapper().convertValue(config, factory.configType());
        return factory.create(bound, new NodeContext() {
            @Override
            public String nodeName() {
                return "node-1";
            }

            @Override
            public Path nodeDataDir() {
                return dir.resolve("node-1");
            }

            @Override
            public ApiClient client() {
                throw new UnsupportedOperationException("the process runtime does not call the API server");
            }

            @Override
            public Path dataDir() {
                return dir;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        });
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private String run(String name, String script, EnvEntry... env) {
        runtime.pullImage("busybox", Optional.empty());
        String id = runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata(name, 0), "busybox",
                List.of("sh", "-c", script), List.of(), "", List.of(env), List.of(), name + "/0.log",
                LinuxContainerResources.UNLIMITED, Map.of("container", name), Map.of(), false, false), sandboxConfig);
        runtime.startContainer(id);
        return id;
    }

    private ContainerStatus status(String id) {
        return runtime.containerStatus(id).orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private String log(String id) {
        try {
            return Files.readString(Path.of(status(id).logPath()));
        } catch (IOException e) {
            return "";
        }
    }

    /** What a kubelet restart does: this runtime stops watching (its processes run on), a new one opens the same directory. */
    private void restart() {
        runtime.detach();
        runtime = create(factory, Map.of("pods", 7));
    }

    private Path workingDir(String container) {
        return dir.resolve("node-1/process-runtime/sandboxes").resolve(sandbox).resolve("containers").resolve(container);
    }

    private static String stateJson(String id, Path dir) throws IOException {
        return Files.readString(dir.resolve("node-1/process-runtime/containers").resolve(id).resolve("state.json"));
    }

    @Test
    void aLaterRuntimeAdoptsARunningContainerWithItsPidLogAndExitCode() throws Exception {
        String id = run("keeper", "echo hello $$; while [ ! -f go ]; do sleep 0.05; done; echo after; exit 3");
        await("hello", () -> log(id).contains("hello"));
        long pid = Long.parseLong(log(id).lines().findFirst().orElseThrow().replaceAll(".* hello ", "").trim());
        assertThat(stateJson(id, dir)).contains("\"state\":\"RUNNING\"").contains("\"pidStartTime\":");

        restart();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(runtime.listPodSandbox(PodSandboxFilter.ALL)).singleElement()
                .satisfies(s -> assertThat(s.id()).isEqualTo(sandbox));
        assertThat(runtime.listContainers(ContainerFilter.inSandbox(sandbox))).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(ContainerState.RUNNING))
                .satisfies(c -> assertThat(c.id()).isEqualTo(id))
                .satisfies(c -> assertThat(c.labels()).containsEntry("container", "keeper"));
        assertThat(status(id).metadata()).isEqualTo(new ContainerMetadata("keeper", 0));
        assertThat(runtime.imageStatus("busybox")).isPresent();
        Files.writeString(workingDir("keeper").resolve("go"), "");
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isEqualTo(3);
        assertThat(status(id).reason()).isEqualTo("Error");
        assertThat(log(id).lines().map(l -> l.split(" ", 4)[3]).toList()).containsExactly("hello " + pid, "after");
    }

    @Test
    void aContainerThatEndedWhileNoRuntimeWatchedIsReportedWithItsCodeAndOutput() throws Exception {
        String id = run("quitter", "echo before; while [ ! -f go ]; do sleep 0.05; done; echo meanwhile >&2; exit 7");
        await("before", () -> log(id).contains("before"));
        runtime.detach();
        Files.writeString(workingDir("quitter").resolve("go"), "");
        Path exit = dir.resolve("node-1/process-runtime/containers").resolve(id).resolve("exit");
        await("the exit file", () -> Files.exists(exit));
        runtime = create(factory, Map.of("pods", 7));
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isEqualTo(7);
        assertThat(log(id).lines().map(l -> l.split(" ", 4)[2] + " " + l.split(" ", 4)[3]).toList())
                .containsExactly("F before", "F meanwhile");
    }

    @Test
    void aContainerKilledWhileNoRuntimeWatchedIsUnknown() throws Exception {
        String id = run("victim", "echo up; sleep 300");
        await("up", () -> log(id).contains("up"));
        runtime.detach();
        long wrapper = ((ProcessRuntime) runtime).pidOf(id).orElseThrow();
        ProcessContainer.signalGroup(wrapper, "KILL");
        await("the wrapper to end", () -> ProcessHandle.of(wrapper).map(h -> !h.isAlive()).orElse(true));
        runtime = create(factory, Map.of("pods", 7));
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isEqualTo(137);
        assertThat(status(id).reason()).isEqualTo("ContainerStatusUnknown");
    }

    @Test
    void stoppingAnAdoptedContainerSignalsItsGroup() throws Exception {
        String id = run("trapper", "trap 'echo got TERM; exit 0' TERM; sleep 300 & echo child $!; wait");
        await("child pid", () -> log(id).contains("child "));
        long child = Long.parseLong(log(id).lines().filter(l -> l.contains("child ")).findFirst().orElseThrow()
                .replaceAll(".* child ", "").trim());
        restart();
        runtime.stopContainer(id, Duration.ofSeconds(20));
        assertThat(status(id).state()).isEqualTo(ContainerState.EXITED);
        assertThat(status(id).exitCode()).isZero();
        assertThat(log(id)).contains("got TERM");
        await("the child to die", () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        runtime.removePodSandbox(sandbox);
        assertThat(dir.resolve("node-1/process-runtime/containers").resolve(id)).doesNotExist();
    }

    @Test
    void aReusedPidIsNotTakenForTheContainer() throws Exception {
        String id = run("gone", "sleep 300");
        await("running", () -> status(id).state() == ContainerState.RUNNING);
        runtime.detach();
        long wrapper = ((ProcessRuntime) runtime).pidOf(id).orElseThrow();
        Path state = dir.resolve("node-1/process-runtime/containers").resolve(id).resolve("state.json");
        // This JVM stands for a later process that got the container's pid: same pid, another start time.
        long self = ProcessHandle.current().pid();
        Files.writeString(state, Files.readString(state).replace("\"pid\":" + wrapper + ",", "\"pid\":" + self + ","));
        runtime = create(factory, Map.of("pods", 7));
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).reason()).isEqualTo("ContainerStatusUnknown");
        runtime.stopContainer(id, Duration.ofSeconds(1));
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        ProcessContainer.signalGroup(wrapper, "KILL");
    }

    @Test
    void aStartedContainerIsCreatedOnce() {
        String id = run("once", "sleep 300");
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(ContainerRuntimeException.class);
    }

    @Test
    void aMissingCommandIsAStartError() {
        runtime.pullImage("busybox", Optional.empty());
        String id = runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata("absent", 0), "busybox",
                List.of("no-such-command-here"), List.of(), "", List.of(), List.of(), "absent/0.log",
                LinuxContainerResources.UNLIMITED, Map.of(), Map.of(), false, false), sandboxConfig);
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("not found");
        assertThat(status(id).reason()).isEqualTo("StartError");
        assertThat(status(id).exitCode()).isEqualTo(128);
    }

    @Test
    void statsAreThoseOfTheWholeGroup() throws Exception {
        String id = run("busy", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo done; sleep 300");
        await("the loop", () -> log(id).contains("done"));
        var stats = runtime.containerStats(id).orElseThrow();
        assertThat(stats.containerId()).isEqualTo(id);
        assertThat(stats.cpuUsageCoreNanoSeconds()).isPositive();
        // sh, the wrapper and sleep each hold some hundreds of KiB at least
        assertThat(stats.memoryWorkingSetBytes()).isGreaterThan(3 * 100 * 1024L);
        runtime.stopContainer(id, Duration.ZERO);
        assertThat(runtime.containerStats(id)).isEmpty();
        assertThat(runtime.containerStats("unknown")).isEmpty();
    }

    @Test
    void capacityIsTheMachines() {
        assertThat(runtime.capacity()).containsKeys("cpu", "memory", "ephemeral-storage", "pods");
        assertThat(runtime.capacity().get("cpu").getAmount())
                .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(runtime.capacity().get("pods").getAmount()).isEqualTo("7");
        assertThat(runtime.version().containerRuntimeVersion()).startsWith("kube4j-process://");
        assertThat(runtime.status().ready()).isTrue();
    }

    private String runLimited(String name, String script, LinuxContainerResources resources) {
        runtime.pullImage("busybox", Optional.empty());
        String id = runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata(name, 0), "busybox",
                List.of("sh", "-c", script), List.of(), "", List.of(), List.of(), name + "/0.log",
                resources, Map.of("container", name), Map.of(), false, false), sandboxConfig);
        runtime.startContainer(id);
        return id;
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(runtime.enforcesResourceLimits(),
                "this machine lets no process make control groups");
        String id = runLimited("hog", "echo start; exec python3 -c 'x = bytearray(200 * 1024 * 1024); print(\"survived\")'",
                new LinuxContainerResources(0, 0, 0, 64L * 1024 * 1024, 0));
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isEqualTo(137);
        assertThat(status(id).reason()).isEqualTo("OOMKilled");
        assertThat(log(id)).contains("start").doesNotContain("survived");
        await("its control groups removed once it ended", () -> !Files.exists(Path.of("/sys/fs/cgroup/memory/kube4j", id))
                && !Files.exists(Path.of("/sys/fs/cgroup/kube4j", id)));
        restart();
        assertThat(status(id).reason()).as("recorded, not read from the group").isEqualTo("OOMKilled");
        String small = runLimited("small", "exec python3 -c 'x = bytearray(8 * 1024 * 1024); print(\"survived\")'",
                new LinuxContainerResources(0, 0, 0, 64L * 1024 * 1024, 0));
        await("exit", () -> status(small).state() == ContainerState.EXITED);
        assertThat(status(small).exitCode()).isZero();
        assertThat(log(small)).contains("survived");
    }

    @Test
    void aCpuLimitIsTheContainersCfsQuota() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(runtime.enforcesResourceLimits(),
                "this machine lets no process make control groups");
        String id = runLimited("capped", "echo pid $$; cat /proc/self/cgroup; sleep 30",
                new LinuxContainerResources(100_000, 25_000, 256, 0, 0));
        await("the cgroup lines", () -> log(id).contains("kube4j/" + id));
        Path v1 = Path.of("/sys/fs/cgroup/cpu/kube4j", id);
        if (Files.isDirectory(v1)) {
            assertThat(Files.readString(v1.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("25000");
            assertThat(Files.readString(v1.resolve("cpu.cfs_period_us")).strip()).isEqualTo("100000");
            assertThat(Files.readString(v1.resolve("cpu.shares")).strip()).isEqualTo("256");
        } else {
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/kube4j", id, "cpu.max")).strip()).isEqualTo("25000 100000");
        }
        runtime.removeContainer(id);
        assertThat(v1).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/kube4j", id)).doesNotExist();
    }

    @Test
    void exitCodeAndCriLog() throws Exception {
        String id = run("fail", "echo hello; echo oops >&2; exit 3");
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        ContainerStatus s = status(id);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.reason()).isEqualTo("Error");
        assertThat(s.startedAt()).isPresent();
        assertThat(s.finishedAt()).isPresent();
        assertThat(s.imageRef()).startsWith("sha256:");
        List<String> lines = log(id).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\S+Z stdout F hello"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\S+Z stderr F oops"));
        assertThat(s.logPath()).isEqualTo(dir.resolve("logs/fail/0.log").toString());
    }

    @Test
    void environmentAndWorkingDirectory() throws Exception {
        String id = run("env", "echo $GREETING; pwd; echo ${HOSTNAME}", new EnvEntry("GREETING", "hi there"));
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isZero();
        assertThat(status(id).reason()).isEqualTo("Completed");
        List<String> out = log(id).lines().map(l -> l.split(" ", 4)[3]).toList();
        assertThat(out.get(0)).isEqualTo("hi there");
        assertThat(Path.of(out.get(1))).startsWith(dir.resolve("node-1"));
        assertThat(out.get(2)).isEqualTo("web");
    }

    @Test
    void mountsAreLinksUnderTheContainersRoot() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("greeting"), "from the volume\n");
        runtime.pullImage("busybox", Optional.empty());
        ContainerConfig config = new ContainerConfig(new ContainerMetadata("mounted", 0), "busybox",
                List.of("sh", "-c", "cat etc/config/greeting; echo written > data/out; cat $HOME/etc/config/greeting"),
                List.of(), "", List.of(), List.of(new io.kube4j.api.node.Mount("/etc/config", volume, true),
                        new io.kube4j.api.node.Mount("/data", volume, false)), "mounted/0.log",
                LinuxContainerResources.UNLIMITED, Map.of(), Map.of(), false, false);
        String id = runtime.createContainer(sandbox, config, sandboxConfig);
        runtime.startContainer(id);
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        assertThat(status(id).exitCode()).isZero();
        assertThat(log(id).lines().map(l -> l.split(" ", 4)[3]).toList())
                .containsExactly("from the volume", "from the volume");
        assertThat(Files.readString(volume.resolve("out"))).isEqualTo("written\n");
        String again = runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata("mounted", 1), "busybox",
                config.command(), List.of(), "", List.of(), config.mounts(), "mounted/1.log", LinuxContainerResources.UNLIMITED,
                Map.of(), Map.of(), false, false), sandboxConfig);
        assertThat(again).as("a restarted container links again").isNotEmpty();
        assertThatThrownBy(() -> runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata("bad", 0),
                "busybox", List.of("true"), List.of(), "", List.of(), List.of(new io.kube4j.api.node.Mount("/../x", volume,
                false)), "bad/0.log", LinuxContainerResources.UNLIMITED, Map.of(), Map.of(), false, false), sandboxConfig))
                .hasMessageContaining("escapes");
    }

    @Test
    void stopSendsSigtermToTheWholeGroup() throws Exception {
        String id = run("trapper", "trap 'echo got TERM; exit 0' TERM; sleep 300 & echo child $!; wait");
        await("child pid", () -> log(id).contains("child "));
        long child = Long.parseLong(log(id).lines().filter(l -> l.contains("child ")).findFirst().orElseThrow()
                .replaceAll(".* child ", "").trim());
        assertThat(ProcessHandle.of(child)).isPresent();
        long start = System.nanoTime();
        runtime.stopContainer(id, Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(status(id).state()).isEqualTo(ContainerState.EXITED);
        assertThat(status(id).exitCode()).isZero();
        assertThat(log(id)).contains("got TERM");
        await("the child to die", () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void stopKillsAfterTheTimeout() throws Exception {
        String id = run("stubborn", "trap '' TERM; echo ready; sleep 300");
        await("ready", () -> log(id).contains("ready"));
        long start = System.nanoTime();
        runtime.stopContainer(id, Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(status(id).state()).isEqualTo(ContainerState.EXITED);
        assertThat(status(id).exitCode()).isEqualTo(137);
        runtime.stopContainer(id, Duration.ofSeconds(1));
    }

    @Test
    void theGroupEndsWithItsMainProcess() throws Exception {
        String id = run("leaver", "sleep 300 & echo child $!");
        await("exit", () -> status(id).state() == ContainerState.EXITED);
        long child = Long.parseLong(log(id).lines().findFirst().orElseThrow().replaceAll(".* child ", "").trim());
        await("the orphan to die", () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void listsAndRemoves() throws Exception {
        String id = run("lister", "sleep 300");
        assertThat(runtime.listContainers(ContainerFilter.inSandbox(sandbox))).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(ContainerState.RUNNING));
        assertThat(runtime.execSync(id, List.of("sh", "-c", "echo $HOSTNAME"), Duration.ofSeconds(5)).stdoutUtf8())
                .isEqualTo("web\n");
        runtime.removePodSandbox(sandbox);
        assertThat(runtime.listContainers(ContainerFilter.ALL)).isEmpty();
        assertThat(runtime.listPodSandbox(PodSandboxFilter.ALL)).isEmpty();
        assertThat(runtime.containerStatus(id)).isEmpty();
        runtime.removePodSandbox(sandbox);
        runtime.stopContainer("unknown", Duration.ZERO);
    }

    @Test
    void stoppedSandboxTakesNoContainers() {
        runtime.stopPodSandbox(sandbox);
        assertThat(runtime.podSandboxStatus(sandbox).orElseThrow().state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThatThrownBy(() -> run("late", "true")).isInstanceOf(ContainerRuntimeException.class);
    }

    @Test
    void aContainerNeedsACommand() {
        runtime.pullImage("nginx", Optional.empty());
        assertThatThrownBy(() -> runtime.createContainer(sandbox, new ContainerConfig(new ContainerMetadata("x", 0),
                "nginx", List.of(), List.of(), "", List.of(), List.of(), "x/0.log", LinuxContainerResources.UNLIMITED,
                Map.of(), Map.of(), false, false), sandboxConfig))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("needs a command");
    }

    @Test
    void aPodOffTheNodesNetworkRunsInANetworkNamespaceOfItsOwnWhichGoesWithTheSandbox() throws Exception {
        PodSandboxConfig own = new PodSandboxConfig(new PodSandboxMetadata("isolated", "uid-2", "default", 0), "isolated",
                dir.resolve("logs2"), new DnsConfig(List.of("10.96.0.10"), List.of("default.svc.cluster.local"),
                List.of("ndots:5")), List.of(), Map.of("pod", "isolated"), Map.of(), LinuxPodSandboxConfig.DEFAULT);
        String id = runtime.runPodSandbox(own);
        String netns = runtime.podSandboxStatus(id).orElseThrow().networkNamespacePath().orElseThrow();
        assertThat(Path.of(netns)).exists();
        assertThat(runtime.podSandboxStatus(sandbox).orElseThrow().networkNamespacePath()).isEmpty();

        runtime.pullImage("busybox", Optional.empty());
        String container = runtime.createContainer(id, new ContainerConfig(new ContainerMetadata("c", 0), "busybox",
                List.of("sh", "-c", "readlink /proc/self/ns/net; cat /etc/resolv.conf; sleep 60"), List.of(), "",
                List.of(), List.of(), "c/0.log", LinuxContainerResources.UNLIMITED, Map.of(), Map.of(), false, false), own);
        runtime.startContainer(container);
        await("the container's namespace and resolv.conf in its log", () -> log(container).contains("ndots:5"));
        String hostNetns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertThat(log(container)).contains("net:[").doesNotContain(hostNetns).contains("nameserver 10.96.0.10")
                .contains("search default.svc.cluster.local");
        // exec (probes) runs in the pod's namespace as well: only its loopback is there.
        assertThat(new String(runtime.execSync(container, List.of("cat", "/proc/net/dev"), Duration.ofSeconds(10)).stdout(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("lo:").doesNotContain("eth0");

        runtime.removePodSandbox(id);

        assertThat(Path.of(netns)).doesNotExist();
        assertThat(runtime.containerStatus(container)).isEmpty();
    }
}
