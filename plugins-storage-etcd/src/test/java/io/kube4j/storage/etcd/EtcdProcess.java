package io.kube4j.storage.etcd;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd member for tests (Debian's {@code etcd-server}), on loopback ports of its own, with
 * its data under a directory of the test's. Started and stopped by the tests; nothing is mocked.
 */
public final class EtcdProcess implements AutoCloseable {
    private final Process process;
    private final int clientPort;
    private final String scheme;

    private EtcdProcess(Process process, int clientPort, String scheme) {
        this.process = process;
        this.clientPort = clientPort;
        this.scheme = scheme;
    }

    /** Whether the {@code etcd} binary is installed (`.ci/run` installs it). */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "etcd"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts a one-member cluster keeping its data in {@code dataDir}, and waits until it takes requests. */
    public static EtcdProcess start(Path dataDir) throws IOException, InterruptedException {
        return start(dataDir, List.of());
    }

    /**
     * Starts a one-member cluster serving clients over TLS with {@code cert}/{@code key}, and
     * accepting only clients whose certificate {@code ca} signed (etcd's client-cert-auth).
     */
    public static EtcdProcess startTls(Path dataDir, Path cert, Path key, Path ca) throws IOException, InterruptedException {
        return start(dataDir, List.of("--cert-file", cert.toString(), "--key-file", key.toString(),
                "--trusted-ca-file", ca.toString(), "--client-cert-auth"));
    }

    private static EtcdProcess start(Path dataDir, List<String> tls) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(attempt == 0 ? dataDir : dataDir.resolveSibling(dataDir.getFileName() + "-" + attempt), tls);
            } catch (IOException e) {
                last = e; // most likely a port taken between its choice and etcd's start: try other ports
            }
        }
        throw last;
    }

    private static EtcdProcess startOnce(Path dataDir, List<String> tls) throws IOException, InterruptedException {
        int[] ports = EtcdCluster.freePorts(2);
        int client = ports[0];
        int peer = ports[1];
        String scheme = tls.isEmpty() ? "http" : "https";
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(List.of("etcd", "--name", "m0", "--data-dir", dataDir.toString(),
                "--listen-client-urls", scheme + "://127.0.0.1:" + client,
                "--advertise-client-urls", scheme + "://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "m0=http://127.0.0.1:" + peer, "--log-level", "error"));
        cmd.addAll(tls);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()).start();
        EtcdProcess etcd = new EtcdProcess(p, client, scheme);
        try {
            etcd.awaitListening(Duration.ofSeconds(20));
        } catch (IOException e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    public String endpoint() {
        return scheme + "://127.0.0.1:" + clientPort;
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", clientPort)) {
                return;
            } catch (IOException notYet) {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("etcd did not listen on " + clientPort + " within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
