package io.kube4j.storage.etcd;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of several members on loopback (Debian's {@code etcd-server}), each with
 * its data under the test's directory; members can be killed ({@code SIGKILL}) and started again
 * on the same data and ports. For fault tests: nothing is mocked.
 */
public final class EtcdCluster implements AutoCloseable {
    private final Path dir;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final Process[] members;

    private EtcdCluster(Path dir, int size) throws IOException {
        this.dir = dir;
        this.clientPorts = new int[size];
        this.peerPorts = new int[size];
        this.members = new Process[size];
        int[] ports = freePorts(2 * size);
        for (int i = 0; i < size; i++) {
            clientPorts[i] = ports[2 * i];
            peerPorts[i] = ports[2 * i + 1];
        }
    }

    /**
     * Starts {@code size} members and waits until each takes connections. A member that cannot
     * bind its port (another process took it between the choice and the start) fails the attempt;
     * the cluster is then made again on other ports, at most three times.
     */
    public static EtcdCluster start(Path dir, int size) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EtcdCluster cluster = new EtcdCluster(dir.resolve("attempt-" + attempt), size);
            try {
                for (int i = 0; i < size; i++) {
                    cluster.launch(i);
                }
                for (int i = 0; i < size; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(20));
                }
                return cluster;
            } catch (IOException e) {
                cluster.close();
                last = e;
            } catch (InterruptedException | RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
        throw last;
    }

    public List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (int port : clientPorts) {
            out.add("http://127.0.0.1:" + port);
        }
        return out;
    }

    /** Kills member {@code i} at once, as a crash would. */
    public void kill(int i) throws InterruptedException {
        Process p = members[i];
        if (p != null) {
            p.toHandle().destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            members[i] = null;
        }
    }

    /** Starts member {@code i} again on its data directory and ports. */
    public void restart(int i) throws IOException, InterruptedException {
        launch(i);
        awaitListening(i, Duration.ofSeconds(20));
    }

    private void launch(int i) throws IOException {
        String name = "m" + i;
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Files.createDirectories(dir);
        String cluster = java.util.stream.IntStream.range(0, members.length)
                .mapToObj(j -> "m" + j + "=http://127.0.0.1:" + peerPorts[j]).collect(Collectors.joining(","));
        List<String> cmd = List.of("etcd", "--name", name, "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + clientPorts[i],
                "--advertise-client-urls", "http://127.0.0.1:" + clientPorts[i],
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-cluster", cluster, "--initial-cluster-token", "kube4j-test", "--initial-cluster-state", "new",
                "--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "error");
        members[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
    }

    private void awaitListening(int i, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!members[i].isAlive()) {
                throw new IOException("etcd member " + i + " exited with " + members[i].exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", clientPorts[i])) {
                return;
            } catch (IOException notYet) {
                members[i].waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("etcd member " + i + " did not listen within " + timeout);
    }

    /** {@code n} distinct free ports: every socket stays open until all are chosen, so none is chosen twice. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /** Kills every member (the data is the test's to throw away; a graceful stop only costs time). */
    @Override
    public void close() throws InterruptedException {
        for (Process p : members) {
            if (p != null) {
                p.toHandle().destroyForcibly();
            }
        }
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null) {
                members[i].waitFor(10, TimeUnit.SECONDS);
            }
            members[i] = null;
        }
    }
}
