package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole kube4j process (API server, kubelet and all) is killed with SIGKILL and started again
 * on the same data directory: the kubelet adopts the containers that ran on, with the same
 * processes, and reports one that ended meanwhile with its exit code. A kubelet closed with
 * {@code detach()} leaves its pods to the next one the same way.
 */
@Timeout(240)
class TestKubeletRestart {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private Path dataDir;
    private final List<Kube4jProcess> children = new ArrayList<>();

    @AfterEach
    void stop() {
        children.forEach(Kube4jProcess::close);
        if (dataDir != null) {
            // A killed cluster leaves its containers running by design: end them here.
            Kube4jProcess.processesUnder(dataDir).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aKilledKube4jAdoptsItsRunningContainersOnRestart() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        dataDir = dataDir.toRealPath();
        Path go = dataDir.resolve("quitter-go");
        int port = Kube4jProcess.freePort();
        Kube4jProcess first = up(port);
        Kubectl kubectl = new Kubectl(dataDir.resolve("kubeconfig"));
        kubectl.run("wait", "--for=condition=Ready", "node/node-1", "--timeout=60s").ok();
        kubectl.run("run", "hello", "--image=busybox", "--command", "--", "sh", "-c", "echo hello $$$$; sleep 3600").ok();
        kubectl.run("run", "quitter", "--image=busybox", "--restart=Never", "--command", "--", "sh", "-c",
                "echo waiting; while [ ! -f " + go + " ]; do sleep 0.1; done; exit 3").ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/hello", "pod/quitter", "--timeout=60s").ok();
        Clients.await("hello's log", WAIT, () -> kubectl.run("logs", "hello").out().startsWith("hello "));
        long pid = Long.parseLong(kubectl.run("logs", "hello").ok().out().strip().substring("hello ".length()));
        String containerId = pod(kubectl, "hello").at("/status/containerStatuses/0/containerID").asText();
        assertThat(containerId).startsWith("kube4j-process://");

        first.kill();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the container outlives kube4j").contains(true);
        Files.writeString(go, "");
        Clients.await("quitter's process to end while kube4j is down", WAIT, () -> Kube4jProcess.processesUnder(dataDir).stream()
                .noneMatch(p -> p.info().commandLine().orElse("").contains("quitter-go")));

        up(port);
        Clients.await("quitter to be reported failed", WAIT, () -> pod(kubectl, "quitter").at("/status/phase").asText().equals("Failed"));
        JsonNode quitter = pod(kubectl, "quitter");
        assertThat(quitter.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isEqualTo(3);
        assertThat(quitter.at("/status/containerStatuses/0/restartCount").asInt()).isZero();
        assertThat(kubectl.run("logs", "quitter").ok().out()).isEqualTo("waiting\n");

        JsonNode hello = pod(kubectl, "hello");
        assertThat(hello.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(hello.at("/status/containerStatuses/0/containerID").asText()).isEqualTo(containerId);
        assertThat(hello.at("/status/containerStatuses/0/restartCount").asInt()).isZero();
        assertThat(hello.at("/status/containerStatuses/0/ready").asBoolean()).isTrue();
        assertThat(hello.at("/status/containerStatuses/0/state/running").isObject()).isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(kubectl.run("logs", "hello").ok().out()).isEqualTo("hello " + pid + "\n");
        assertThat(kubectl.run("get", "pod", "hello").ok().out()).containsPattern("hello\\s+1/1\\s+Running\\s+0\\s");

        kubectl.run("delete", "pod", "hello", "--timeout=60s").ok();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("SIGTERM reached it").isFalse();
        assertThat(kubectl.run("get", "pod", "hello").exitCode()).isNotZero();
        kubectl.run("delete", "pod", "quitter", "--timeout=60s").ok();
        Clients.await("no container left", WAIT, () -> Kube4jProcess.processesUnder(dataDir).isEmpty());
    }

    @Test
    void aDetachedKubeletLeavesItsPodsToTheNextOne() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = Files.createDirectories(tmp.resolve("data")).toRealPath();
        Cluster cluster = Profiles.start("process-node.yaml", dataDir);
        try {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig());
            kubectl.run("run", "hello", "--image=busybox", "--command", "--", "sh", "-c", "echo hello $$$$; sleep 3600").ok();
            kubectl.run("wait", "--for=condition=Ready", "pod/hello", "--timeout=60s").ok();
            Clients.await("hello's log", WAIT, () -> kubectl.run("logs", "hello").out().startsWith("hello "));
            String log = kubectl.run("logs", "hello").ok().out();
            cluster.kubelets().getFirst().detach();
            cluster.close();
            assertThat(Kube4jProcess.processesUnder(dataDir)).as("the pod's processes run on").isNotEmpty();

            cluster = Profiles.start("process-node.yaml", dataDir);
            Kubectl again = new Kubectl(cluster.kubeconfig());
            again.run("wait", "--for=condition=Ready", "pod/hello", "--timeout=60s").ok();
            assertThat(pod(again, "hello").at("/status/containerStatuses/0/restartCount").asInt()).isZero();
            assertThat(again.run("logs", "hello").ok().out()).isEqualTo(log);
        } finally {
            cluster.close();
        }
        assertThat(Kube4jProcess.processesUnder(dataDir)).as("a closed kubelet stops its pods").isEmpty();
    }

    private Kube4jProcess up(int port) throws IOException {
        Kube4jProcess child = Kube4jProcess.up(Profiles.DIR.resolve("process-node.yaml"), dataDir, port);
        children.add(child);
        return child;
    }

    private static JsonNode pod(Kubectl kubectl, String name) {
        try {
            return JSON.readTree(kubectl.run("get", "pod", name, "-o", "json").ok().out());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }


}
