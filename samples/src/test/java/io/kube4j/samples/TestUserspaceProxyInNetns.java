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
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/profiles/userspace-proxy.yaml, and the default profile (single-node.yaml), the whole cluster
 * with kube-proxy in the userspace mode, started as a child process inside a network namespace of its own (so that its dummy interface
 * and cluster IPs stay there); kubectl and curl run in the namespace too.
 *
 * <p>The {@code host} pod network gives every pod the node's IP, so three replicas of one
 * Deployment would all want one port: the backends are three one-replica Deployments labelled
 * {@code app=web}, each serving its own port named {@code http}, and the Service targets that name.
 */
class TestUserspaceProxyInNetns {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int API_PORT = 6443;

    @TempDir
    Path dataDir;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"userspace-proxy.yaml", "single-node.yaml"})
    void aServiceClusterIpAndNodePortReachEveryReadyBackend(String profile) throws Exception {
        assumeTrue(NetworkNamespace.available(), "needs root and iproute2 for ip netns");
        assumeTrue(Kubectl.available() && Files.isExecutable(Path.of("/usr/bin/curl"))
                && Files.isExecutable(Path.of("/usr/bin/python3")), "needs kubectl, curl and python3");
        try (NetworkNamespace ns = NetworkNamespace.create("k4j-userspace")) {
            Kube4jProcess cluster = Kube4jProcess.up(ns.prefix(), Profiles.DIR.resolve(profile), dataDir,
                    API_PORT);
            String clusterIp;
            try {
                clusterIp = run(ns, dataDir);
            } catch (AssertionError | RuntimeException e) {
                cluster.stop(Duration.ofSeconds(30));
                throw new AssertionError(e.getMessage() + "\n--- cluster output ---\n" + cluster.output(), e);
            }
            assertThat(cluster.stop(Duration.ofSeconds(30))).as("the cluster stops on SIGTERM").isTrue();
            assertThat(ns.exec(Duration.ofSeconds(10), "ip", "-o", "addr", "show").ok().output())
                    .as("the cluster IPs are removed on stop").doesNotContain(clusterIp + "/32");
            assertThat(ns.exec(Duration.ofSeconds(10), "ip", "link", "show", "kube4j0").exitCode())
                    .as("no dummy interface is left").isNotZero();
        }
    }

    /** The walk-through; returns the Service's cluster IP. */
    private static String run(NetworkNamespace ns, Path dataDir) throws Exception {
        Path kubeconfig = dataDir.resolve("kubeconfig");
        kubectl(ns, kubeconfig, "wait", "--for=condition=Ready", "node/node-1", "--timeout=60s");
        kubectl(ns, kubeconfig, "apply", "-f", write(dataDir, manifest()));
        kubectl(ns, kubeconfig, "wait", "--for=condition=Available", "deployment", "-l", "app=web", "--timeout=60s");
        String clusterIp = kubectl(ns, kubeconfig, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").strip();
        assertThat(clusterIp).as("from 10.96.0.0/12").startsWith("10.");
        // On kube4j0, or on lo where the kernel has no dummy interfaces.
        assertThat(ns.exec(Duration.ofSeconds(10), "ip", "-o", "addr", "show").ok().output()).contains(clusterIp + "/32");

        Set<String> answered = awaitAnswers(ns, "http://" + clusterIp + "/", 3);
        assertThat(answered).containsExactlyInAnyOrder("web-1", "web-2", "web-3");
        assertThat(awaitAnswers(ns, "http://127.0.0.1:30080/", 3)).containsExactlyInAnyOrder("web-1", "web-2", "web-3");

        kubectl(ns, kubeconfig, "scale", "deployment", "-l", "app=web", "--replicas=0");
        // While the pods terminate, their endpoints may still serve; once they are gone, connections fail.
        kubectl(ns, kubeconfig, "wait", "--for=delete", "pod", "-l", "app=web", "--timeout=60s");
        await("connections to the cluster IP fail", () -> curl(ns, "http://" + clusterIp + "/").exitCode() != 0);
        NetworkNamespace.Result refused = curl(ns, "http://" + clusterIp + "/");
        assertThat(refused.exitCode()).as("curl fails: %s", refused.output()).isIn(7, 52, 56);
        assertThat(refused.took()).as("curl fails fast, it does not hang").isLessThan(Duration.ofSeconds(1));

        kubectl(ns, kubeconfig, "scale", "deployment", "-l", "app=web", "--replicas=1");
        kubectl(ns, kubeconfig, "wait", "--for=condition=Available", "deployment", "-l", "app=web", "--timeout=60s");
        long ready = System.nanoTime();
        await("the cluster IP answers again", () -> curl(ns, "http://" + clusterIp + "/").exitCode() == 0);
        Duration afterReady = Duration.ofNanos(System.nanoTime() - ready);
        System.out.println("userspace proxy: the cluster IP answered " + afterReady.toMillis()
                + " ms after the Deployments were Available");
        assertThat(afterReady).isLessThan(Duration.ofSeconds(3));
        assertThat(awaitAnswers(ns, "http://" + clusterIp + "/", 3)).containsExactlyInAnyOrder("web-1", "web-2", "web-3");
        return clusterIp;
    }

    /** Asks {@code url} until {@code count} different backends have answered (at most 60 requests). */
    private static Set<String> awaitAnswers(NetworkNamespace ns, String url, int count) throws Exception {
        Set<String> answered = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 60 && answered.size() < count; i++) {
            NetworkNamespace.Result r = curl(ns, url);
            if (r.exitCode() == 0) {
                answered.add(r.output().strip());
            } else {
                failures.add(r.output());
                Thread.sleep(100); // the backends are still coming up: nothing to await but the next try
            }
        }
        assertThat(answered).as("answers from %s (failures: %s)", url, failures).hasSize(count);
        return answered;
    }

    private static NetworkNamespace.Result curl(NetworkNamespace ns, String url) {
        return ns.exec(Duration.ofSeconds(10), "curl", "-sS", "--max-time", "5", "-H", "Connection: close", url);
    }

    private static String kubectl(NetworkNamespace ns, Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(90), command.toArray(String[]::new)).ok().output();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Clients.await(what, WAIT, condition);
    }

    private static String write(Path dir, String text) throws Exception {
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, text);
        return file.toString();
    }

    /** Three one-replica Deployments (web-1..3 on ports 8081..8083, each port named http) and a NodePort Service. */
    static String manifest() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            yaml.append("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-%1$d, labels: {app: web}}
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: web, replica: web-%1$d}}
                      template:
                        metadata: {labels: {app: web, replica: web-%1$d}}
                        spec:
                          terminationGracePeriodSeconds: 2
                          containers:
                          - name: web
                            image: python
                            command: [sh, -c, 'echo web-%1$d > index.html && exec python3 -m http.server %2$d --bind 127.0.0.1']
                            ports: [{name: http, containerPort: %2$d}]
                            readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
                    ---
                    """.formatted(i, 8080 + i));
        }
        yaml.append("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80, targetPort: http, nodePort: 30080}]
                """);
        return yaml.toString();
    }
}
