package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kube4j up` in its own process stops cleanly on SIGTERM, and starts again on the same data. */
class TestGracefulStop {

    /** A running `kube4j up` child and the kubeconfig line it printed. */
    record Child(Process process, Path kubeconfig, StringBuilder output, CompletableFuture<Void> ended) {
    }

    private static Child up(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.kube4j.runtime.cli.Kube4jCommand", "up", "--data-dir", dataDir.toString(), "--address", "127.0.0.1:0"))
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Path> ready = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("export KUBECONFIG=")) {
                        ready.complete(Path.of(line.substring("export KUBECONFIG=".length())));
                    }
                }
                ready.completeExceptionally(new AssertionError("kube4j up ended before it was ready:\n" + output));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                ended.complete(null);
            }
        });
        return new Child(p, ready.get(60, TimeUnit.SECONDS), output, ended);
    }

    @Test
    void sigtermStopsTheClusterAndItStartsAgainWithItsData(@TempDir Path dir) throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        Child first = up(dir);
        try {
            new Kubectl(first.kubeconfig()).run("create", "configmap", "survivor", "--from-literal=a=b").ok();
            // Process.destroy() would also close our end of its stdout; the handle only sends SIGTERM.
            first.process().toHandle().destroy();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(first.process().exitValue()).as("the JVM's exit status after SIGTERM").isEqualTo(143);
            first.ended().get(10, TimeUnit.SECONDS);
            assertThat(first.output().toString()).doesNotContain("Exception").contains("kube4j: stopped");
        } finally {
            first.process().destroyForcibly();
        }
        Child second = up(dir);
        try {
            assertThat(new Kubectl(second.kubeconfig()).run("get", "configmap", "survivor", "-o",
                    "jsonpath={.data.a}").ok().out()).isEqualTo("b");
        } finally {
            // SIGTERM, awaited: its kube-proxy takes its cluster IPs off this machine's loopback on the way out.
            second.process().toHandle().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
            second.process().destroyForcibly();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
