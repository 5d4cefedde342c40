package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Kubernetes Python client against the default single-node profile. */
class TestPythonClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "/python/client_compat.py";

    private static Cluster cluster;
    private static String python;

    @BeforeAll
    static void start() throws Exception {
        // A pyenv or venv python3 first on the PATH may lack the module that apt installed for /usr/bin/python3.
        Optional<String> found = Stream.of("python3", "/usr/bin/python3").filter(TestPythonClient::hasKubernetesModule)
                .findFirst();
        assumeTrue(found.isPresent(), "python3 with the kubernetes module is not installed");
        python = found.get();
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-python"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listWatchAndScale() throws Exception {
        Path script = Files.createTempFile("client_compat", ".py");
        try (InputStream in = TestPythonClient.class.getResourceAsStream(SCRIPT)) {
            assertThat(in).as(SCRIPT).isNotNull();
            Files.write(script, in.readAllBytes());
        }
        Result r = run(List.of(python, script.toString(), cluster.kubeconfig().toString(), "py-compat"), 120);
        assertThat(r.exitCode()).as("python client failed:\n%s\n%s", r.out(), r.err()).isZero();
        JsonNode result = JSON.readTree(r.out());

        assertThat(JSON.convertValue(result.path("list").path("pages"), List.class))
                .isEqualTo(List.of(List.of("page-0", "page-1"), List.of("page-2", "page-3"), List.of("page-4")));

        JsonNode events = result.path("watch").path("events");
        assertThat(events).hasSize(3);
        assertThat(events.findValuesAsText("type")).containsExactly("ADDED", "MODIFIED", "DELETED");
        assertThat(events.findValuesAsText("name")).containsOnly("watched");
        assertThat(events.get(0).path("data").path("v").asText()).isEqualTo("1");
        assertThat(events.get(1).path("data").path("v").asText()).isEqualTo("2");
        // Each change waits for the previous event, so a held-back event would leave the watch to its 20 s timeout.
        assertThat(result.path("watch").path("seconds").asDouble()).isLessThan(10);
        long from = result.path("watch").path("from").asLong();
        assertThat(events.get(0).path("resourceVersion").asLong()).isGreaterThan(from);

        JsonNode scale = result.path("scale");
        assertThat(scale.path("patchedKind").asText()).isEqualTo("Scale");
        assertThat(scale.path("patchedReplicas").asInt()).isEqualTo(3);
        assertThat(scale.path("readReplicas").asInt()).isEqualTo(3);
        assertThat(scale.path("deploymentReplicas").asInt()).isEqualTo(3);
        assertThat(scale.path("selector").asText()).isEqualTo("app=scaled");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static boolean hasKubernetesModule(String python) {
        try {
            return run(List.of(python, "-c", "import kubernetes"), 30).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Result run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
