package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static pods with the real kubectl: a manifest in the node's {@code staticPodPath} runs as
 * {@code web-node-1}, its mirror pod carries its status, a deleted mirror comes back while the
 * container runs on, a changed manifest restarts the pod with the new spec, a removed one stops it
 * within its grace period.
 * The kubelet's {@code /stats/summary} is read through the API server's {@code nodes/proxy} on the way.
 */
@Timeout(180)
class TestStaticPodsEndToEnd {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              containers:
              - name: web
                image: busybox
                command: [sh, -c, 'echo %s $$$$; sleep 3600']
            """;

    @TempDir
    Path tmp;
    private Path dataDir;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (dataDir != null) {
            List<ProcessHandle> left = Kube4jProcess.processesUnder(dataDir);
            left.forEach(ProcessHandle::destroyForcibly);
            assertThat(left).as("processes left behind").isEmpty();
        }
    }

    @Test
    void aManifestRunsAsAStaticPodWithAMirrorPod() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = Files.createDirectories(tmp.resolve("data")).toRealPath();
        Path manifests = Files.createDirectories(dataDir.resolve("manifests"));
        Files.writeString(manifests.resolve("web.yaml"), WEB.formatted("v1"));
        Path profile = tmp.resolve("static.yaml");
        Files.writeString(profile, Files.readString(Profiles.DIR.resolve("process-node.yaml"))
                .replace("    network: {plugin: host}", "    network: {plugin: host}\n    staticPodPath: manifests"));
        ClusterProfile p = ProfileLoader.load(profile).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0");
        cluster = Cluster.start(Profiles.onFreePorts(p), profile.toString(), Optional.empty());
        Kubectl kubectl = new Kubectl(cluster.kubeconfig());

        Clients.await("web-node-1 running", WAIT, () -> kubectl.run("get", "pods").out().matches("(?s).*web-node-1\\s+1/1\\s+Running\\s+0.*"));
        JsonNode mirror = pod(kubectl, "web-node-1");
        String hash = mirror.at("/metadata/annotations/kubernetes.io~1config.hash").asText();
        assertThat(hash).matches("[0-9a-f]{32}");
        assertThat(mirror.at("/metadata/annotations/kubernetes.io~1config.mirror").asText()).isEqualTo(hash);
        assertThat(mirror.at("/metadata/annotations/kubernetes.io~1config.source").asText()).isEqualTo("file");
        assertThat(mirror.at("/metadata/annotations/kubernetes.io~1config.seen").asText()).isNotEmpty();
        assertThat(mirror.at("/metadata/uid").asText()).isNotEqualTo(hash);
        assertThat(mirror.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Node");
        assertThat(mirror.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("node-1");
        assertThat(mirror.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
        assertThat(mirror.at("/spec/nodeName").asText()).isEqualTo("node-1");
        assertThat(mirror.at("/status/podIP").asText()).isEqualTo("127.0.0.1");
        Clients.await("the log", WAIT, () -> kubectl.run("logs", "web-node-1").out().startsWith("v1 "));
        long pid = Long.parseLong(kubectl.run("logs", "web-node-1").ok().out().strip().substring(3));

        // The kubelet's /stats/summary, through the API server's nodes/proxy.
        JsonNode summary = JSON.readTree(kubectl.run("get", "--raw", "/api/v1/nodes/node-1/proxy/stats/summary").ok().out());
        assertThat(summary.at("/node/nodeName").asText()).isEqualTo("node-1");
        assertThat(summary.at("/node/cpu/usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(summary.at("/node/memory/workingSetBytes").asLong()).isPositive();
        assertThat(summary.at("/node/memory/availableBytes").asLong()).isPositive();
        JsonNode web = null;
        for (JsonNode candidate : summary.at("/pods")) {
            if (candidate.at("/podRef/name").asText().equals("web-node-1")) {
                web = candidate;
            }
        }
        assertThat(web).as("web-node-1 in %s", summary).isNotNull();
        assertThat(web.at("/podRef/uid").asText()).isEqualTo(hash);
        assertThat(web.at("/containers/0/name").asText()).isEqualTo("web");
        assertThat(web.at("/containers/0/memory/workingSetBytes").asLong()).isPositive();
        assertThat(web.at("/containers/0/cpu/usageCoreNanoSeconds").isNumber()).isTrue();

        // A deleted mirror pod is made again; the static pod's container runs on.
        String firstUid = mirror.at("/metadata/uid").asText();
        kubectl.run("delete", "pod", "web-node-1", "--wait=false").ok();
        Clients.await("a new mirror pod", WAIT, () -> {
            JsonNode again = podOrNull(kubectl, "web-node-1");
            return again != null && !again.at("/metadata/uid").asText().equals(firstUid)
                    && again.at("/status/phase").asText().equals("Running");
        });
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(kubectl.run("logs", "web-node-1").ok().out()).isEqualTo("v1 " + pid + "\n");

        // A changed manifest is a new pod: the old one stops, the new one runs with the new spec.
        Path bye = dataDir.resolve("web-said-bye");
        Files.writeString(manifests.resolve("web.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  terminationGracePeriodSeconds: 20
                  containers:
                  - name: web
                    image: busybox
                    command: [sh, -c, 'trap "sleep 3; echo bye > %s; exit 0" TERM; echo v2 $$$$; sleep 3600 & wait']
                """.formatted(bye));
        Clients.await("the new spec runs", WAIT, () -> kubectl.run("logs", "web-node-1").out().startsWith("v2 "));
        assertThat(pod(kubectl, "web-node-1").at("/metadata/annotations/kubernetes.io~1config.mirror").asText())
                .isNotEqualTo(hash);
        Clients.await("the old container to stop", WAIT, () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));

        // A removed manifest stops the pod and deletes its mirror.
        Files.delete(manifests.resolve("web.yaml"));
        Clients.await("the mirror pod to go", WAIT, () -> podOrNull(kubectl, "web-node-1") == null);
        Clients.await("no container left", WAIT, () -> Kube4jProcess.processesUnder(dataDir).isEmpty());
        assertThat(bye).as("SIGTERM, then the pod's grace period to finish").hasContent("bye\n");
    }

    private static JsonNode pod(Kubectl kubectl, String name) {
        JsonNode pod = podOrNull(kubectl, name);
        assertThat(pod).as("pod %s", name).isNotNull();
        return pod;
    }

    private static JsonNode podOrNull(Kubectl kubectl, String name) {
        Kubectl.Result r = kubectl.run("get", "pod", name, "-o", "json");
        if (r.exitCode() != 0) {
            return null;
        }
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }


}
