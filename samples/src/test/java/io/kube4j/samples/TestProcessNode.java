package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process-node profile with the real kubectl: pods bound to node-1 really run as processes of
 * this machine, report their status, show their logs, restart, and stop on delete.
 */
@Timeout(180)
class TestProcessNode {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dataDir;
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = Files.createTempDirectory("kube4j-process-node").toRealPath();
        cluster = Profiles.start("process-node.yaml", dataDir);
        kubectl = new Kubectl(cluster.kubeconfig());
        kubectl.run("wait", "--for=condition=Ready", "node/node-1", "--timeout=60s").ok();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (dataDir != null) {
            List<ProcessHandle> left = processesUnder(dataDir);
            left.forEach(ProcessHandle::destroyForcibly);
            assertThat(left).as("processes left behind by the cluster").isEmpty();
        }
    }

    /** The processes whose working directory is under {@code dir}: the containers of this cluster. */
    private static List<ProcessHandle> processesUnder(Path dir) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                if (cwd.startsWith(dir) && p.isAlive()) {
                    found.add(p);
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // not ours, or gone
            }
        });
        return found;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode get(String... args) {
        List<String> all = new ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("-o", "json"));
        try {
            return JSON.readTree(kubectl.run(all.toArray(String[]::new)).ok().out());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nodeIsRegisteredWithTheMachinesCapacityAndKeepsItsLease() {
        JsonNode node = get("node", "node-1");
        assertThat(node.at("/metadata/labels/kubernetes.io~1hostname").asText()).isEqualTo("node-1");
        assertThat(node.at("/metadata/labels/kubernetes.io~1os").asText()).isEqualTo("linux");
        assertThat(node.at("/metadata/labels/kubernetes.io~1arch").asText()).isNotEmpty();
        assertThat(node.at("/status/capacity/cpu").asText())
                .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(node.at("/status/allocatable/pods").asText()).isEqualTo("110");
        assertThat(node.at("/status/nodeInfo/containerRuntimeVersion").asText()).startsWith("kube4j-process://");
        assertThat(node.at("/status/nodeInfo/kubeletVersion").asText()).isEqualTo("v1.32.0");
        assertThat(node.at("/status/addresses").findValuesAsText("address")).contains("127.0.0.1", "node-1");
        assertThat(node.at("/status/daemonEndpoints/kubeletEndpoint/Port").asInt()).isPositive();
        JsonNode lease = get("lease", "node-1", "-n", "kube-node-lease");
        assertThat(lease.at("/spec/holderIdentity").asText()).isEqualTo("node-1");
        assertThat(lease.at("/spec/renewTime").asText()).isNotEmpty();
        assertThat(lease.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Node");
        assertThat(kubectl.run("get", "nodes").ok().out()).containsPattern("node-1\\s+Ready\\s+<none>\\s+\\S+\\s+v1.32.0");
    }

    @Test
    void podRunsShowsItsLogsAndStopsWithSigterm() throws Exception {
        Path termFile = dataDir.resolve("trapper-got-term");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello}
                spec:
                  containers:
                  - name: hello
                    image: busybox
                    command: [sh, -c, 'echo hello; sleep 3600']
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: trapper}
                spec:
                  terminationGracePeriodSeconds: 30
                  containers:
                  - name: trapper
                    image: busybox
                    env: [{name: TERM_FILE, value: '%s'}, {name: MY_POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                    command: [sh, -c, 'trap "echo TERM > $TERM_FILE; exit 0" TERM; echo I am $MY_POD; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done']
                """.formatted(termFile), "apply", "-f", "-").ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/hello", "pod/trapper", "--timeout=60s").ok();

        JsonNode hello = get("pod", "hello");
        assertThat(hello.at("/spec/nodeName").asText()).isEqualTo("node-1");
        assertThat(hello.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(hello.at("/status/podIP").asText()).isEqualTo("127.0.0.1");
        assertThat(hello.at("/status/hostIP").asText()).isEqualTo("127.0.0.1");
        assertThat(hello.at("/status/startTime").asText()).isNotEmpty();
        JsonNode status = hello.at("/status/containerStatuses/0");
        assertThat(status.at("/ready").asBoolean()).isTrue();
        assertThat(status.at("/started").asBoolean()).isTrue();
        assertThat(status.at("/restartCount").asInt()).isZero();
        assertThat(status.at("/state/running/startedAt").asText()).isNotEmpty();
        assertThat(status.at("/containerID").asText()).startsWith("kube4j-process://");
        assertThat(hello.at("/status/conditions").findValuesAsText("type"))
                .contains("PodScheduled", "Initialized", "ContainersReady", "Ready");
        assertThat(processesUnder(dataDir)).isNotEmpty();

        await("hello in the log", Duration.ofSeconds(20), () -> kubectl.run("logs", "hello").out().equals("hello\n"));
        assertThat(kubectl.run("logs", "trapper", "--tail=1").ok().out()).startsWith("tick ");
        assertThat(kubectl.run("logs", "trapper", "--timestamps").ok().out().lines().findFirst().orElseThrow())
                .matches("\\S+Z I am trapper");

        Process follow = kubectl.start("logs", "-f", "trapper");
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process was stopped
                }
            });
            int lastTick = 0;
            int newTicks = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int before = Integer.parseInt(kubectl.run("logs", "trapper", "--tail=1").ok().out().trim().substring(5));
            while (newTicks < 5 && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith("tick ")) {
                    lastTick = Integer.parseInt(line.substring(5));
                    if (lastTick > before) {
                        newTicks++;
                    }
                }
            }
            assertThat(newTicks).as("lines written after logs -f started arrive").isEqualTo(5);
        } finally {
            follow.destroyForcibly();
            follow.waitFor(10, TimeUnit.SECONDS);
        }

        long start = System.nanoTime();
        kubectl.run("delete", "pod", "hello", "trapper", "--timeout=60s").ok();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("SIGTERM stopped them, not SIGKILL after 30 s")
                .isLessThan(Duration.ofSeconds(25));
        assertThat(Files.readString(termFile).trim()).isEqualTo("TERM");
        Kubectl.Result gone = kubectl.run("get", "pod", "hello", "trapper");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("NotFound");
        await("the containers' processes to end", Duration.ofSeconds(10), () -> processesUnder(dataDir).isEmpty());
    }

    @Test
    void failingContainerIsRestartedWithBackOff() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher}
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - {name: crasher, image: busybox, command: [sh, -c, 'echo crashing; exit 2']}
                """, "apply", "-f", "-").ok();
        await("CrashLoopBackOff", Duration.ofSeconds(30), () -> {
            JsonNode s = get("pod", "crasher").at("/status/containerStatuses/0");
            return s.at("/restartCount").asInt() >= 1 && s.at("/state/waiting/reason").asText().equals("CrashLoopBackOff");
        });
        JsonNode s = get("pod", "crasher").at("/status/containerStatuses/0");
        assertThat(s.at("/lastState/terminated/exitCode").asInt()).isEqualTo(2);
        assertThat(s.at("/lastState/terminated/reason").asText()).isEqualTo("Error");
        assertThat(s.at("/state/waiting/message").asText()).startsWith("back-off 10s restarting failed container=crasher");
        assertThat(kubectl.run("get", "pod", "crasher").ok().out()).contains("CrashLoopBackOff");
        assertThat(kubectl.run("logs", "crasher", "--previous").ok().out()).isEqualTo("crashing\n");
        kubectl.run("delete", "pod", "crasher", "--timeout=60s").ok();
    }

    @Test
    void aContainerWithoutCommandWaitsWithCreateContainerError() throws Exception {
        kubectl.run("run", "nocommand", "--image=nginx").ok();
        await("CreateContainerError", Duration.ofSeconds(30), () -> get("pod", "nocommand")
                .at("/status/containerStatuses/0/state/waiting/reason").asText().equals("CreateContainerError"));
        assertThat(get("pod", "nocommand").at("/status/containerStatuses/0/state/waiting/message").asText())
                .contains("needs a command");
        assertThat(kubectl.run("get", "pod", "nocommand").ok().out()).contains("CreateContainerError");
        assertThat(get("pod", "nocommand").at("/status/phase").asText()).isEqualTo("Pending");
        kubectl.run("delete", "pod", "nocommand", "--timeout=60s").ok();
    }

    @Test
    void podsThatEndReachTheirPhase() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: done}
                spec:
                  restartPolicy: Never
                  initContainers:
                  - {name: setup, image: busybox, command: [sh, -c, 'echo setting up']}
                  containers:
                  - {name: main, image: busybox, command: [sh, -c, 'echo finished']}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: broken}
                spec:
                  restartPolicy: Never
                  containers:
                  - {name: main, image: busybox, command: [sh, -c, 'exit 3']}
                """, "apply", "-f", "-").ok();
        await("done Succeeded", Duration.ofSeconds(30), () -> get("pod", "done").at("/status/phase").asText().equals("Succeeded"));
        await("broken Failed", Duration.ofSeconds(30), () -> get("pod", "broken").at("/status/phase").asText().equals("Failed"));
        JsonNode done = get("pod", "done");
        assertThat(done.at("/status/initContainerStatuses/0/state/terminated/reason").asText()).isEqualTo("Completed");
        assertThat(done.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isZero();
        assertThat(kubectl.run("logs", "done", "-c", "setup").ok().out()).isEqualTo("setting up\n");
        assertThat(kubectl.run("logs", "done").ok().out()).isEqualTo("finished\n");
        JsonNode broken = get("pod", "broken").at("/status/containerStatuses/0");
        assertThat(broken.at("/state/terminated/exitCode").asInt()).isEqualTo(3);
        assertThat(broken.at("/state/terminated/reason").asText()).isEqualTo("Error");
        assertThat(broken.at("/restartCount").asInt()).isZero();
        assertThat(kubectl.run("get", "pods", "done", "broken").ok().out()).contains("Completed").contains("Error");
        kubectl.run("delete", "pod", "done", "broken", "--timeout=60s").ok();
    }
}
