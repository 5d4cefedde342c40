package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two {@code process} nodes on the {@code bridge} pod network, their bridges in a network namespace
 * this test makes (as a machine of its own would hold them): every pod gets its own namespace and an
 * IP from its node's podCIDR (given by the nodeipam controller), pods of one node listen on the
 * same port side by side, and a pod reaches a pod of the other node by its IP, without NAT.
 */
class TestBridgeNetwork {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MACHINE = "k4jt" + ProcessHandle.current().pid() + "-machine";
    private static final String SERVER = """
            import http.server, os
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = (os.environ["POD_NAME"] + " " + self.client_address[0]).encode()
                    self.send_response(200); self.end_headers(); self.wfile.write(body)
            http.server.HTTPServer(("0.0.0.0", 8080), H).serve_forever()
            """;
    private static Cluster cluster;
    private static Kubectl kubectl;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        run("ip", "netns", "add", MACHINE);
        run("ip", "-n", MACHINE, "link", "set", "lo", "up");
        dataDir = Files.createTempDirectory("kube4j-bridge");
        Path file = dataDir.resolve("bridge.yaml");
        String profile = Files.readString(Profiles.DIR.resolve("single-node.yaml"));
        profile = profile.substring(0, profile.indexOf("\nnodes:")) + """

                nodes:
                  - {name: bridge-a, network: {plugin: bridge, config: {netns: %1$s}}}
                  - {name: bridge-b, network: {plugin: bridge, config: {netns: %1$s}}}
                """.formatted(MACHINE);
        Files.writeString(file, profile);
        ClusterProfile p = ProfileLoader.load(file).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0");
        cluster = Cluster.start(Profiles.onFreePorts(p), file.toString(), Optional.empty());
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() throws Exception {
        if (kubectl != null) {
            kubectl.run("delete", "deployment", "echo", "--wait=true", "--timeout=60s");
            kubectl.run("delete", "pod", "client", "--wait=true", "--timeout=60s");
        }
        if (cluster != null) {
            cluster.close();
        }
        // Namespaces of pods that did not go away with their pod (a failed test): the runtime names
        // them after the sandbox ids kept under the data directory.
        if (dataDir != null) {
            try (Stream<Path> sandboxes = Files.find(dataDir, 6, (path, attributes) -> attributes.isDirectory()
                    && path.getParent().getFileName().toString().equals("sandboxes"))) {
                sandboxes.forEach(s -> tryRun("ip", "netns", "del", "k4j-" + s.getFileName().toString().substring(0, 12)));
            }
        }
        tryRun("ip", "netns", "del", MACHINE);
    }

    @Test
    void podsHaveTheirOwnAddressesShareAPortOnANodeAndReachTheOtherNodeWithoutNat() throws Exception {
        Map<String, String> cidrs = new TreeMap<>();
        for (String node : List.of("bridge-a", "bridge-b")) {
            Clients.await(node + " has a podCIDR", WAIT, () -> !podCidr(node).isEmpty());
            cidrs.put(node, podCidr(node));
        }
        assertThat(new HashSet<>(cidrs.values())).hasSize(2);

        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: echo}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: echo}}
                  template:
                    metadata: {labels: {app: echo}}
                    spec:
                      topologySpreadConstraints:
                      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: echo}}}
                      containers:
                      - name: echo
                        image: python
                        command: [python3, -c, %s]
                        ports: [{containerPort: 8080}]
                        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                """.formatted(quoted(SERVER)), "apply", "-f", "-").ok();
        Clients.await("4 echo pods running with IPs", WAIT, () -> echoPods().size() == 4);
        Map<String, String[]> pods = echoPods();
        Set<String> ips = new HashSet<>();
        Map<String, Integer> perNode = new TreeMap<>();
        for (Map.Entry<String, String[]> pod : pods.entrySet()) {
            String ip = pod.getValue()[0];
            String node = pod.getValue()[1];
            ips.add(ip);
            perNode.merge(node, 1, Integer::sum);
            String prefix = cidrs.get(node).substring(0, cidrs.get(node).lastIndexOf('.') + 1);
            assertThat(ip).as(pod.getKey()).startsWith(prefix);
            // Every pod answers on 8080 of its own address, two of them on each node.
            Clients.await(pod.getKey() + " answers", WAIT, () -> fromMachine(ip).startsWith(pod.getKey() + " "));
        }
        assertThat(ips).hasSize(4);
        assertThat(perNode).containsEntry("bridge-a", 2).containsEntry("bridge-b", 2);

        Map.Entry<String, String[]> onB = pods.entrySet().stream().filter(e -> e.getValue()[1].equals("bridge-b"))
                .findFirst().orElseThrow();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  nodeName: bridge-a
                  restartPolicy: Never
                  containers:
                  - name: client
                    image: curl
                    command: [sh, -c, 'until curl -s http://%s:8080/; do sleep 0.2; done']
                """.formatted(onB.getValue()[0]), "apply", "-f", "-").ok();
        Clients.await("the client pod got its answer", WAIT, () -> kubectl.run("logs", "client").out()
                .startsWith(onB.getKey() + " "));
        String clientIp = kubectl.run("get", "pod", "client", "-o", "jsonpath={.status.podIP}").ok().out().strip();
        // The server saw the client's own pod IP: nothing on the way rewrote it.
        assertThat(kubectl.run("logs", "client").out().strip()).isEqualTo(onB.getKey() + " " + clientIp);
        assertThat(clientIp).startsWith(cidrs.get("bridge-a").substring(0, cidrs.get("bridge-a").lastIndexOf('.') + 1));
    }

    private static String podCidr(String node) {
        return kubectl.run("get", "node", node, "-o", "jsonpath={.spec.podCIDR}").out().strip();
    }

    /** Running echo pods: name → {podIP, nodeName}. */
    private static Map<String, String[]> echoPods() {
        Map<String, String[]> pods = new TreeMap<>();
        String out = kubectl.run("get", "pods", "-l", "app=echo", "-o", "jsonpath={range .items[*]}{.metadata.name} "
                + "{.status.phase} {.status.podIP} {.spec.nodeName};{end}").out();
        for (String pod : out.split(";")) {
            String[] f = pod.strip().split(" ");
            if (f.length == 4 && f[1].equals("Running") && !f[2].isEmpty()) {
                pods.put(f[0], new String[]{f[2], f[3]});
            }
        }
        return pods;
    }

    private static String fromMachine(String ip) {
        return tryRun("ip", "netns", "exec", MACHINE, "curl", "-s", "-m", "2", "http://" + ip + ":8080/");
    }

    private static String quoted(String script) {
        return "\"" + script.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String tryRun(String... command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
