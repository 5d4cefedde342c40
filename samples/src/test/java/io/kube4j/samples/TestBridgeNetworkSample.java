package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/profiles/bridge-network.yaml as the README's walk-through runs it: the whole cluster in a
 * network namespace of its own with the node's address 10.0.0.1 on its loopback, pods on the
 * {@code bridge} network, kube-proxy in the {@code iptables} mode, cluster DNS and the ingress
 * add-on. Three replicas of one Deployment listen on the same port; the cluster IP reaches all of
 * them, the node port answers on the node's address, a pod finds the Service by name (its
 * resolv.conf names the cluster DNS) and by its variables, scaling to 0 makes connections fail at
 * once, and an Ingress routes two hosts to two Services.
 */
class TestBridgeNetworkSample {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int API_PORT = 6443;
    private static final String NODE_IP = "10.0.0.1";

    @TempDir
    Path dataDir;

    @Test
    void servicesDnsAndIngressOnTheBridgeNetworkWithIptables() throws Exception {
        assumeTrue(NetworkNamespace.available(), "needs root and iproute2 for ip netns");
        assumeTrue(Kubectl.available() && Files.isExecutable(Path.of("/usr/bin/curl"))
                && Files.isExecutable(Path.of("/usr/bin/python3")), "needs kubectl, curl and python3");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && Files.isExecutable(Path.of("/usr/sbin/iptables")),
                "needs containernetworking-plugins and iptables");
        try (NetworkNamespace ns = NetworkNamespace.create("k4j-bridge")) {
            ns.exec(Duration.ofSeconds(10), "ip", "addr", "add", NODE_IP + "/32", "dev", "lo").ok();
            // A machine has a link out and a default route through it: the route the kernel picks for a
            // cluster IP before kube-proxy's DNAT sends the packet to a pod, or its REJECT answers at once.
            ns.exec(Duration.ofSeconds(10), "ip", "link", "add", "k4j-out", "type", "veth", "peer", "name", "k4j-in").ok();
            ns.exec(Duration.ofSeconds(10), "ip", "link", "set", "k4j-out", "up").ok();
            ns.exec(Duration.ofSeconds(10), "ip", "link", "set", "k4j-in", "up").ok();
            ns.exec(Duration.ofSeconds(10), "ip", "route", "add", "default", "dev", "k4j-out", "src", NODE_IP).ok();
            Kube4jProcess cluster = Kube4jProcess.up(ns.prefix(), Profiles.DIR.resolve("bridge-network.yaml"), dataDir,
                    API_PORT);
            try {
                walkThrough(ns, dataDir);
            } catch (AssertionError | RuntimeException e) {
                cluster.stop(Duration.ofSeconds(30));
                throw new AssertionError(e.getMessage() + "\n--- cluster output ---\n" + tail(cluster.output()), e);
            } finally {
                cluster.stop(Duration.ofSeconds(30));
                deletePodNamespaces(dataDir);
            }
        }
    }

    private static void walkThrough(NetworkNamespace ns, Path dataDir) throws Exception {
        Path kubeconfig = dataDir.resolve("kubeconfig");
        kubectl(ns, kubeconfig, "wait", "--for=condition=Ready", "node/node-1", "--timeout=60s");
        kubectl(ns, kubeconfig, "apply", "-f", write(dataDir, "web.yaml", manifest()));
        kubectl(ns, kubeconfig, "wait", "--for=condition=Available", "deployment/web", "deployment/api", "--timeout=90s");
        String clusterIp = kubectl(ns, kubeconfig, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
        List<String> podIps = List.of(kubectl(ns, kubeconfig, "get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].status.podIP}").strip().split(" "));
        assertThat(podIps).as("three pods, each with its own address of the node's podCIDR").hasSize(3)
                .allMatch(ip -> ip.startsWith("10.244.0.")).doesNotHaveDuplicates();

        // The cluster IP leads to every replica; the node port answers on the node's address.
        assertThat(awaitAnswers(ns, "http://" + clusterIp + "/", 3)).hasSize(3).allMatch(a -> a.startsWith("web-"));
        assertThat(awaitAnswers(ns, "http://" + NODE_IP + ":30080/", 3)).hasSize(3);

        // A pod resolves the Service by its short and its full name, and has its variables.
        kubectl(ns, kubeconfig, "apply", "-f", write(dataDir, "client.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: client
                    image: curl
                    command:
                    - sh
                    - -c
                    - |
                      cat /etc/resolv.conf
                      echo "env $WEB_SERVICE_HOST:$WEB_SERVICE_PORT"
                      echo "short $(curl -sS --max-time 5 http://web/)"
                      echo "full $(curl -sS --max-time 5 http://web.default.svc.cluster.local/)"
                      python3 -c 'import socket; print("resolved", socket.gethostbyname("web"))'
                """));
        Clients.await("the client pod succeeded", WAIT, () -> kubectl(ns, kubeconfig, "get", "pod", "client", "-o",
                "jsonpath={.status.phase}").equals("Succeeded"));
        String logs = kubectl(ns, kubeconfig, "logs", "client");
        assertThat(logs).contains("nameserver 10.96.0.10", "search default.svc.cluster.local svc.cluster.local cluster.local",
                "options ndots:5", "env " + clusterIp + ":80", "resolved " + clusterIp);
        assertThat(logs).containsPattern("short web-[a-z0-9-]+ 10\\.244\\.0\\.")
                .containsPattern("full web-[a-z0-9-]+ 10\\.244\\.0\\.");

        // An Ingress routes two hosts to two Services.
        assertThat(curl(ns, "-H", "Host: web.example.com", "http://" + NODE_IP + "/")).startsWith("web-");
        Clients.await("the ingress routes api.example.com", WAIT,
                () -> curlResult(ns, "-H", "Host: api.example.com", "http://" + NODE_IP + "/").output().startsWith("api-"));

        // No ready endpoint: connections are refused at once; back to 3, they work again.
        kubectl(ns, kubeconfig, "scale", "deployment/web", "--replicas=0");
        // While the pods terminate, their endpoints may still serve; once they are gone the Service rejects.
        kubectl(ns, kubeconfig, "wait", "--for=delete", "pod", "-l", "app=web", "--timeout=60s");
        java.util.concurrent.atomic.AtomicReference<NetworkNamespace.Result> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Clients.await("connections to the cluster IP are refused", WAIT, () -> {
                last.set(curlResult(ns, "http://" + clusterIp + "/"));
                return last.get().exitCode() == 7;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the last curl: exit " + last.get().exitCode() + " " + last.get().output()
                    + "\n" + kubectl(ns, kubeconfig, "get", "pods,endpointslices", "-o", "wide")
                    + "\n" + ns.exec(Duration.ofSeconds(10), "iptables-save").output(), e);
        }
        NetworkNamespace.Result refused = curlResult(ns, "http://" + clusterIp + "/");
        assertThat(refused.exitCode()).as("curl fails: %s", refused.output()).isEqualTo(7);
        assertThat(refused.took()).as("curl fails fast, it does not hang").isLessThan(Duration.ofSeconds(1));
        kubectl(ns, kubeconfig, "scale", "deployment/web", "--replicas=3");
        kubectl(ns, kubeconfig, "wait", "--for=condition=Available", "deployment/web", "--timeout=90s");
        long ready = System.nanoTime();
        Clients.await("the cluster IP answers again", WAIT, () -> curlResult(ns, "http://" + clusterIp + "/").exitCode() == 0);
        Duration afterReady = Duration.ofNanos(System.nanoTime() - ready);
        System.out.println("iptables proxy: the cluster IP answered " + afterReady.toMillis()
                + " ms after the Deployment was Available");
        // The rules follow the EndpointSlice change (minSyncPeriod 100 ms), not the periodic resync (syncPeriod 30 s).
        // How fast they follow is a benchmark's matter; under CI's load it has taken over 3 s.
        assertThat(afterReady).isLessThan(Duration.ofSeconds(15));
        assertThat(awaitAnswers(ns, "http://" + clusterIp + "/", 3)).hasSize(3);
    }

    /** Asks {@code url} until {@code count} different backends have answered (at most 60 requests). */
    private static Set<String> awaitAnswers(NetworkNamespace ns, String url, int count) throws Exception {
        Set<String> answered = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 60 && answered.size() < count; i++) {
            NetworkNamespace.Result r = curlResult(ns, url);
            if (r.exitCode() == 0) {
                answered.add(r.output().strip().split(" ")[0]);
            } else {
                failures.add(r.output());
                Thread.sleep(100); // a backend still coming up: nothing to await but the next try
            }
        }
        assertThat(answered).as("answers from %s (failures: %s)", url, failures).hasSize(count);
        return answered;
    }

    private static String curl(NetworkNamespace ns, String... args) {
        NetworkNamespace.Result r = curlResult(ns, args);
        assertThat(r.exitCode()).as("curl %s: %s", List.of(args), r.output()).isZero();
        return r.output();
    }

    private static NetworkNamespace.Result curlResult(NetworkNamespace ns, String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "-H", "Connection: close"));
        command.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(10), command.toArray(String[]::new));
    }

    private static String kubectl(NetworkNamespace ns, Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(120), command.toArray(String[]::new)).ok().output();
    }

    private static String write(Path dir, String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : output.substring(output.length() - 20_000);
    }

    /** Pod namespaces a failed run left: the runtime names them after the sandbox ids under the data dir. */
    private static void deletePodNamespaces(Path dataDir) throws Exception {
        try (Stream<Path> sandboxes = Files.find(dataDir, 6, (path, attributes) -> attributes.isDirectory()
                && path.getParent().getFileName().toString().equals("sandboxes"))) {
            sandboxes.forEach(s -> {
                String name = "k4j-" + s.getFileName().toString().substring(0, 12);
                NetworkNamespace.run(Duration.ofSeconds(10), "ip", "netns", "del", name);
                NetworkNamespace.run(Duration.ofSeconds(10), "rm", "-rf", "/etc/netns/" + name);
            });
        }
    }

    /** The README's walk-through: web (3 replicas on one port, a NodePort Service), api, and an Ingress for both. */
    static String manifest() {
        return deployment("web", 3) + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
                ---
                """ + deployment("api", 1) + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  selector: {app: api}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop}
                spec:
                  rules:
                  - host: web.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
                  - host: api.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
                """;
    }

    /** A Deployment of {@code replicas} {@link #SERVER}s on port 8080, ready once they answer. */
    static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                      - name: %1$s
                        image: python
                        command: [python3, -c, %3$s]
                        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                        ports: [{containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
                """.formatted(name, replicas, quoted(SERVER));
    }

    /** Answers every GET with the pod's name and the client's address. */
    static final String SERVER = """
            import http.server, os
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = (os.environ["POD_NAME"] + " " + self.client_address[0] + "\\n").encode()
                    self.send_response(200); self.end_headers(); self.wfile.write(body)
                def log_message(self, *args):
                    pass
            http.server.HTTPServer(("0.0.0.0", 8080), H).serve_forever()
            """;

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
