package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingress add-on in the default profile: two Deployments of real HTTP servers on node-1, two
 * Services, one Ingress with two hosts (one over TLS from a Secret), reached with curl.
 */
class TestIngressAddOn {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Cluster cluster;
    private static Kubectl kubectl;
    private static int httpPort;
    private static int httpsPort;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = Files.createTempDirectory("kube4j-ingress");
        httpPort = freePort();
        httpsPort = freePort();
        Path file = Profiles.DIR.resolve("single-node.yaml");
        ClusterProfile p = ProfileLoader.load(file).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0");
        List<PluginSlot> addons = new ArrayList<>(p.addons());
        addons.add(new PluginSlot("ingress", JsonNodeFactory.instance.objectNode().put("httpPort", httpPort)
                .put("httpsPort", httpsPort), 0));
        cluster = Cluster.start(Profiles.onFreePorts(p.withAddons(addons)), file.toString(), Optional.empty());
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A Deployment of one python HTTP server that answers its color, on its own port of the node's IP, and its Service. */
    private static String app(String color, int port) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                      - name: web
                        image: python
                        command: [sh, -c, 'mkdir -p www && echo %1$s > www/index.html && cd www && exec python3 -m http.server %2$d --bind 127.0.0.1']
                        ports: [{containerPort: %2$d}]
                        readinessProbe: {tcpSocket: {port: %2$d}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s}
                spec:
                  selector: {app: %1$s}
                  ports: [{name: http, port: 80, targetPort: %2$d}]
                """.formatted(color, port);
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    @Test
    void anIngressRoutesTwoHostsToTwoServicesOverHttpAndHttps() throws Exception {
        kubectl.runWithInput(app("blue", freePort()), "apply", "-f", "-").ok();
        kubectl.runWithInput(app("green", freePort()), "apply", "-f", "-").ok();
        Path crt = dataDir.resolve("blue.crt");
        Path key = dataDir.resolve("blue.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=blue.example.com", "-addext", "subjectAltName=DNS:blue.example.com",
                "-keyout", key.toString(), "-out", crt.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();
        kubectl.run("create", "secret", "tls", "blue-tls", "--cert", crt.toString(), "--key", key.toString()).ok();
        kubectl.runWithInput("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: colors}
                spec:
                  tls: [{hosts: [blue.example.com], secretName: blue-tls}]
                  rules:
                  - host: blue.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blue, port: {name: http}}}}]}
                  - host: green.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: green, port: {number: 80}}}}]}
                """, "apply", "-f", "-").ok();

        String http = "http://127.0.0.1:" + httpPort + "/";
        Clients.await("blue through the ingress", WAIT, () -> call(() -> curl("-H", "Host: blue.example.com", http)).equals("blue"));
        Clients.await("green through the ingress", WAIT, () -> call(() -> curl("-H", "Host: green.example.com", http)).equals("green"));
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: red.example.com", http)).isEqualTo("404");
        String https = "https://blue.example.com:" + httpsPort + "/";
        String resolve = "blue.example.com:" + httpsPort + ":127.0.0.1";
        assertThat(curl("--cacert", crt.toString(), "--resolve", resolve, https)).isEqualTo("blue");
        Clients.await("the ingress's address in its status", WAIT, () -> kubectl.run("get", "ingress", "colors", "-o",
                "jsonpath={.status.loadBalancer.ingress[0].ip}").out().strip().equals("127.0.0.1"));

        kubectl.run("scale", "deployment", "green", "--replicas=0").ok();
        Clients.await("green without endpoints answers 503", WAIT, () -> call(() -> curl("-o", "/dev/null", "-w",
                "%{http_code}", "-H", "Host: green.example.com", http)).equals("503"));
    }

    private interface Call {
        String run() throws Exception;
    }

    private static String call(Call call) {
        try {
            return call.run();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
