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
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/fs/cgroup/memory"))
                || java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"))),
                "no control groups to enforce limits in");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hog}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: hog
                    image: python
                    command: [python3, -c, 'x = bytearray(300 * 1024 * 1024); print("survived")']
                    resources: {limits: {memory: 64Mi, cpu: 500m}}
                """, "apply", "-f", "-").ok();
        await("the pod failed", Duration.ofSeconds(30), () -> get("pod", "hog").at("/status/phase").asText().equals("Failed"));
        JsonNode s = get("pod", "hog").at("/status/containerStatuses/0");
        assertThat(s.at("/state/terminated/reason").asText()).isEqualTo("OOMKilled");
        assertThat(s.at("/state/terminated/exitCode").asInt()).isEqualTo(137);
        assertThat(kubectl.run("get", "pod", "hog").ok().out()).contains("OOMKilled");
        kubectl.run("delete", "pod", "hog", "--timeout=60s").ok();
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

    private static String events(String pod) {
        return kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod).ok().out();
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: liveness
                    image: busybox
                    command: [sh, -c, 'touch healthy; sleep 2; rm healthy; sleep 3600']
                    livenessProbe:
                      exec: {command: [cat, healthy]}
                      periodSeconds: 1
                      failureThreshold: 1
                """, "apply", "-f", "-").ok();
        await("the liveness probe to restart the container twice", Duration.ofSeconds(60),
                () -> get("pod", "liveness").at("/status/containerStatuses/0/restartCount").asInt() >= 2);
        String events = events("liveness");
        assertThat(events).contains("Unhealthy").contains("Liveness probe failed: cat: healthy: No such file or directory")
                .contains("Killing").contains("Container liveness failed liveness probe, will be restarted");
        JsonNode status = get("pod", "liveness").at("/status/containerStatuses/0");
        assertThat(status.at("/lastState/terminated/exitCode").asInt()).as("ended by SIGTERM").isEqualTo(143);
        await("CrashLoopBackOff between restarts", Duration.ofSeconds(30),
                () -> kubectl.run("get", "pod", "liveness").ok().out().contains("CrashLoopBackOff"));
        assertThat(kubectl.run("get", "pod", "liveness").ok().out()).containsPattern("liveness\\s+0/1\\s+CrashLoopBackOff\\s+[2-9]");
        kubectl.run("delete", "pod", "liveness", "--timeout=60s").ok();
    }

    @Test
    void readinessProbeTogglesReadyBothWays() throws Exception {
        Path readyFile = dataDir.resolve("toggle-ready");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: toggle}
                spec:
                  containers:
                  - name: toggle
                    image: busybox
                    env: [{name: READY_FILE, value: '%s'}]
                    command: [sh, -c, 'sleep 3600']
                    readinessProbe:
                      exec: {command: [sh, -c, 'test -f "$READY_FILE"']}
                      periodSeconds: 1
                """.formatted(readyFile), "apply", "-f", "-").ok();
        await("toggle Running", Duration.ofSeconds(30), () -> get("pod", "toggle").at("/status/phase").asText().equals("Running"));
        await("a failed readiness probe", Duration.ofSeconds(30), () -> events("toggle").contains("Readiness probe failed"));
        JsonNode pod = get("pod", "toggle");
        assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean()).isFalse();
        assertThat(pod.at("/status/containerStatuses/0/started").asBoolean()).isTrue();
        assertThat(kubectl.run("get", "pod", "toggle").ok().out()).containsPattern("toggle\\s+0/1\\s+Running");

        Files.writeString(readyFile, "");
        kubectl.run("wait", "--for=condition=Ready", "pod/toggle", "--timeout=30s").ok();
        assertThat(get("pod", "toggle").at("/status/containerStatuses/0/ready").asBoolean()).isTrue();
        assertThat(kubectl.run("get", "pod", "toggle").ok().out()).containsPattern("toggle\\s+1/1\\s+Running");

        Files.delete(readyFile);
        kubectl.run("wait", "--for=condition=Ready=false", "pod/toggle", "--timeout=30s").ok();
        kubectl.run("wait", "--for=condition=ContainersReady=false", "pod/toggle", "--timeout=30s").ok();
        assertThat(get("pod", "toggle").at("/status/containerStatuses/0/restartCount").asInt())
                .as("readiness never restarts").isZero();
        kubectl.run("delete", "pod", "toggle", "--timeout=60s").ok();
    }

    @Test
    void httpGetAndTcpSocketProbesReachTheContainersServer() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path site = Files.createDirectories(dataDir.resolve("site"));
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: web
                    image: python
                    command: [python3, -m, http.server, '%d', --bind, 127.0.0.1, --directory, '%s']
                    ports: [{name: http, containerPort: %d}]
                    startupProbe:
                      httpGet: {path: /, port: http}
                      periodSeconds: 1
                      failureThreshold: 30
                    livenessProbe:
                      tcpSocket: {port: %d}
                      periodSeconds: 1
                    readinessProbe:
                      httpGet: {path: /ready.txt, port: http, httpHeaders: [{name: X-Probe, value: kube4j}]}
                      periodSeconds: 1
                """.formatted(port, site, port, port), "apply", "-f", "-").ok();
        await("web started", Duration.ofSeconds(30),
                () -> get("pod", "web").at("/status/containerStatuses/0/started").asBoolean());
        await("a failed readiness probe", Duration.ofSeconds(30),
                () -> events("web").contains("Readiness probe failed: HTTP probe failed with statuscode: 404"));
        assertThat(get("pod", "web").at("/status/containerStatuses/0/ready").asBoolean()).isFalse();

        Files.writeString(site.resolve("ready.txt"), "ok");
        kubectl.run("wait", "--for=condition=Ready", "pod/web", "--timeout=30s").ok();
        Files.delete(site.resolve("ready.txt"));
        kubectl.run("wait", "--for=condition=Ready=false", "pod/web", "--timeout=30s").ok();
        JsonNode status = get("pod", "web").at("/status/containerStatuses/0");
        assertThat(status.at("/restartCount").asInt()).as("the tcpSocket liveness probe passes").isZero();
        assertThat(status.at("/state/running").isMissingNode()).isFalse();
        assertThat(kubectl.run("logs", "web").ok().out()).contains("\"GET /ready.txt HTTP/1.1\" 200");
        kubectl.run("delete", "pod", "web", "--timeout=60s").ok();
    }

    @Test
    void startupProbeHoldsLivenessBackUntilItSucceeds() throws Exception {
        Path startedFile = dataDir.resolve("slow-started");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: slow}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: slow
                    image: busybox
                    env: [{name: STARTED_FILE, value: '%s'}]
                    command: [sh, -c, 'sleep 3600']
                    startupProbe:
                      exec: {command: [sh, -c, 'test -f "$STARTED_FILE"']}
                      periodSeconds: 1
                      failureThreshold: 60
                    livenessProbe:
                      exec: {command: [sh, -c, 'echo never alive; exit 1']}
                      periodSeconds: 1
                      failureThreshold: 1
                """.formatted(startedFile), "apply", "-f", "-").ok();
        await("three failed startup probes", Duration.ofSeconds(30),
                () -> events("slow").matches("(?s).*Startup probe failed.*") && eventCount("slow", "Startup probe failed") >= 3);
        JsonNode status = get("pod", "slow").at("/status/containerStatuses/0");
        assertThat(status.at("/started").asBoolean()).isFalse();
        assertThat(status.at("/ready").asBoolean()).isFalse();
        assertThat(status.at("/restartCount").asInt()).isZero();
        assertThat(events("slow")).doesNotContain("Liveness probe failed");

        Files.writeString(startedFile, "");
        await("liveness, now running, restarts the container", Duration.ofSeconds(30),
                () -> get("pod", "slow").at("/status/containerStatuses/0/restartCount").asInt() >= 1);
        assertThat(events("slow")).contains("Liveness probe failed: never alive");
        kubectl.run("delete", "pod", "slow", "--timeout=60s").ok();
    }

    /** How many times the pod's events with that message happened (their counts summed). */
    private static int eventCount(String pod, String message) {
        JsonNode list = get("events", "--field-selector", "involvedObject.name=" + pod);
        int n = 0;
        for (JsonNode e : list.path("items")) {
            if (e.path("message").asText().contains(message)) {
                n += Math.max(1, e.path("count").asInt());
            }
        }
        return n;
    }

    @Test
    void envFromConfigMapsAndSecretsReachesTheProcess() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: configured, labels: {app: demo}}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    envFrom: [{prefix: CFG_, configMapRef: {name: settings}}]
                    env:
                    - {name: COLOR, valueFrom: {configMapKeyRef: {name: settings, key: color}}}
                    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
                    - {name: EXTRA, valueFrom: {secretKeyRef: {name: creds, key: extra, optional: true}}}
                    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                    - {name: MEMORY_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                    - {name: GREETING, value: 'a $(COLOR) $(CFG_size) pod'}
                    resources: {limits: {memory: 64Mi}}
                    command: [sh, -c, 'echo "$(GREETING) app=$APP password=$PASSWORD extra=${EXTRA-unset} mem=$MEMORY_MI"; sleep 3600']
                """, "apply", "-f", "-").ok();
        await("CreateContainerConfigError", Duration.ofSeconds(30), () -> get("pod", "configured")
                .at("/status/containerStatuses/0/state/waiting/reason").asText().equals("CreateContainerConfigError"));
        assertThat(get("pod", "configured").at("/status/containerStatuses/0/state/waiting/message").asText())
                .isEqualTo("configmap \"settings\" not found");
        assertThat(kubectl.run("get", "pod", "configured").ok().out()).contains("CreateContainerConfigError");

        kubectl.run("create", "configmap", "settings", "--from-literal=color=blue", "--from-literal=size=small").ok();
        kubectl.run("create", "secret", "generic", "creds", "--from-literal=password=s3cr3t").ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/configured", "--timeout=60s").ok();
        await("the greeting in the log", Duration.ofSeconds(20), () -> !kubectl.run("logs", "configured").out().isEmpty());
        assertThat(kubectl.run("logs", "configured").ok().out())
                .isEqualTo("a blue small pod app=demo password=s3cr3t extra=unset mem=64\n");
        kubectl.run("delete", "pod", "configured", "--timeout=60s").ok();
        kubectl.run("delete", "configmap", "settings").ok();
        kubectl.run("delete", "secret", "creds").ok();
    }

    @Test
    void volumesAreDirectoriesLinkedAtTheirMountPaths() throws Exception {
        Path host = dataDir.resolve("host-volume");
        kubectl.run("create", "configmap", "web-config", "--from-literal=color=green", "--from-literal=size=large").ok();
        kubectl.run("create", "secret", "generic", "web-secret", "--from-literal=token=abc123").ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: mounted, labels: {app: web, tier: front}}
                spec:
                  volumes:
                  - {name: scratch, emptyDir: {}}
                  - {name: host, hostPath: {path: '%s', type: DirectoryOrCreate}}
                  - name: config
                    configMap: {name: web-config, defaultMode: 0400, items: [{key: color, path: colors/main}]}
                  - {name: secret, secret: {secretName: web-secret}}
                  - name: info
                    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
                  containers:
                  - name: writer
                    image: busybox
                    volumeMounts:
                    - {name: scratch, mountPath: /cache}
                    - {name: host, mountPath: /var/host}
                    - {name: config, mountPath: /etc/config, readOnly: true}
                    - {name: secret, mountPath: /etc/secret}
                    - {name: info, mountPath: /etc/podinfo}
                    command: [sh, -c, 'cat etc/config/colors/main; echo; stat -c %%a etc/config/colors/main; cat etc/secret/token; echo; cat etc/podinfo/labels; echo shared > cache/note; echo on-host > var/host/out; sleep 3600']
                  - name: reader
                    image: busybox
                    volumeMounts: [{name: scratch, mountPath: /data}]
                    readinessProbe:
                      exec: {command: [test, -f, data/note]}
                      periodSeconds: 1
                    command: [sh, -c, 'sleep 3600']
                """.formatted(host), "apply", "-f", "-").ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/mounted", "--timeout=60s").ok();
        await("the writer's output", Duration.ofSeconds(20), () -> kubectl.run("logs", "mounted", "-c", "writer").out()
                .contains("tier="));
        assertThat(kubectl.run("logs", "mounted", "-c", "writer").ok().out())
                .isEqualTo("green\n400\nabc123\napp=\"web\"\ntier=\"front\"\n");
        assertThat(Files.readString(host.resolve("out"))).isEqualTo("on-host\n");
        String uid = get("pod", "mounted").at("/metadata/uid").asText();
        Path volumes = dataDir.resolve("nodes/node-1/kubelet/pods").resolve(uid);
        assertThat(volumes.resolve("volumes/scratch/note")).hasContent("shared");
        kubectl.run("delete", "pod", "mounted", "--timeout=60s").ok();
        assertThat(volumes).as("the pod's volumes go with it").doesNotExist();
        assertThat(host.resolve("out")).as("a hostPath stays").exists();

        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: unmounted}
                spec:
                  volumes: [{name: config, configMap: {name: absent}}]
                  containers:
                  - {name: main, image: busybox, command: [sleep, '3600'], volumeMounts: [{name: config, mountPath: /etc/config}]}
                """, "apply", "-f", "-").ok();
        await("FailedMount", Duration.ofSeconds(30), () -> events("unmounted")
                .contains("MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found"));
        assertThat(get("pod", "unmounted").at("/status/containerStatuses/0/state/waiting/reason").asText())
                .isEqualTo("ContainerCreating");
        kubectl.run("delete", "pod", "unmounted", "--timeout=60s").ok();
        kubectl.run("delete", "configmap", "web-config").ok();
        kubectl.run("delete", "secret", "web-secret").ok();
    }
}
