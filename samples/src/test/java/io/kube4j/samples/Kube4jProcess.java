package io.kube4j.samples;

import static org.junit.jupiter.api.Assertions.fail;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiClientConfig;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.cli.Kube4jCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code kube4j up PROFILE} in a child JVM of its own, for tests that kill whole processes. */
final class Kube4jProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private Kube4jProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code kube4j up} and waits until it prints the kubeconfig line (at most 30 s). */
    static Kube4jProcess up(Path profile, Path dataDir, int port) throws IOException {
        return up(List.of(), profile, dataDir, port);
    }

    /** Like {@link #up(Path, Path, int)}, the java command run by {@code prefix} ({@code ip netns exec NS}). */
    static Kube4jProcess up(List<String> prefix, Path profile, Path dataDir, int port) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Kube4jCommand.class.getName(), "up", profile.toString(), "--data-dir", dataDir.toString(),
                "--address", "127.0.0.1:" + port));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Kube4jProcess child = new Kube4jProcess(p);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    child.output.append(line).append('\n');
                    if (line.startsWith("export KUBECONFIG=")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("exited before it was ready"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "kube4j-child-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.close();
            fail("kube4j up on port " + port + " did not become ready: " + e + "\n" + child.output);
        }
        return child;
    }

    /** Kills the process at once, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C: the cluster stops its components (and their containers); true if it ended in time. */
    boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String output() {
        return output.toString();
    }

    /**
     * A client of the API servers on {@code ports} (failing over in that order) with the admin token
     * and the cluster CA that {@code kube4j up} keeps in {@code dataDir}.
     */
    static ApiClient adminClient(Path dataDir, Duration requestTimeout, int... ports) throws IOException {
        String token = Files.readAllLines(dataDir.resolve("tokens.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
        List<URI> servers = new ArrayList<>();
        for (int port : ports) {
            servers.add(URI.create("https://127.0.0.1:" + port));
        }
        return new HttpApiClient(new ApiClientConfig(servers, Optional.of(token),
                Optional.of(Files.readString(dataDir.resolve("pki/ca.crt"))), false, requestTimeout),
                ResourceRegistry.builtIn());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        // The pods' processes of a node in the child outlive a SIGKILL of it by design (the kubelet
        // adopts them when it starts again): a test that is done with the child ends them too.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The processes whose working directory is under {@code dir}: the containers of a cluster on that data dir. */
    static java.util.List<ProcessHandle> processesUnder(Path dir) {
        java.util.List<ProcessHandle> found = new java.util.ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                Path cwd = java.nio.file.Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                if (cwd.startsWith(dir) && p.isAlive()) {
                    found.add(p);
                }
            } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
                // not ours, or gone
            }
        });
        return found;
    }
}
