package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.runtime.cli.Kube4jCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real launcher with SIGKILL while ConfigMap writes are in flight, restarts it on the same
 * data directory, and checks that nothing acknowledged was lost and that a watch resumed from the last
 * acknowledged resourceVersion continues without a gap or a duplicate.
 */
class TestCrashRecovery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
    private static final int WRITERS = 6;
    private static final int ACKS_BEFORE_KILL = 150;
    private static final int CHANGES_AFTER_RESTART = 20;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final List<Process> children = new ArrayList<>();
    private final List<StringBuffer> outputs = new ArrayList<>();

    /** One acknowledged write: the writer's sequence number {@code seq} is also the ConfigMap's data. */
    record Ack(String name, long resourceVersion, int seq) {
    }

    /** One event read from the watch stream; for an ERROR event {@code seq} holds the Status' code, reason and message. */
    record Event(String type, String name, long resourceVersion, String seq) {
    }

    /** Kills what is still running and keeps each child's log in target/ for diagnosing a failure. */
    @AfterEach
    void killChildren(TestInfo test) throws InterruptedException, IOException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Path logs = Files.createDirectories(Path.of("target", "crash-recovery"));
        for (int i = 0; i < outputs.size(); i++) {
            Files.writeString(logs.resolve(test.getTestMethod().orElseThrow().getName() + "-" + i + ".log"),
                    outputs.get(i));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveSigkillAndWatchResumesWithoutGap() throws Exception {
        int port = freePort();
        Process first = start(port);
        Api api = new Api(port, dataDir);

        Map<String, Ack> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        CompletableFuture<Void> enoughAcks = new CompletableFuture<>();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String name = "crash-" + w;
            running.add(CompletableFuture.runAsync(() -> write(api, name, acked, ackCount, enoughAcks), writers));
        }
        enoughAcks.get(30, TimeUnit.SECONDS);
        // The writers keep going until the connection dies, so the kill lands among requests in flight.
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        writers.shutdown();
        assertThat(acked).hasSize(WRITERS);
        long lastAcked = acked.values().stream().mapToLong(Ack::resourceVersion).max().orElseThrow();

        start(port);
        for (Ack a : acked.values()) {
            JsonNode cm = api.get(CONFIGMAPS + "/" + a.name());
            long rv = cm.path("metadata").path("resourceVersion").asLong();
            int seq = Integer.parseInt(cm.path("data").path("seq").asText());
            assertThat(rv).as("resourceVersion of %s", a.name()).isGreaterThanOrEqualTo(a.resourceVersion());
            if (rv == a.resourceVersion()) {
                assertThat(seq).as("data of %s", a.name()).isEqualTo(a.seq());
            } else {
                // Only the one write that was in flight when the process died may have landed unacknowledged.
                assertThat(seq).as("data of %s", a.name()).isEqualTo(a.seq() + 1);
            }
        }

        // Writes persisted but not acknowledged before the kill are legitimately part of the history after
        // lastAcked; each writer has at most one (its last request), and whether it was a create or an
        // update is not known, so only its name, version and data are compared.
        JsonNode list = api.get(CONFIGMAPS);
        long restartRevision = list.path("metadata").path("resourceVersion").asLong();
        List<Event> unacknowledged = new ArrayList<>();
        for (JsonNode cm : list.path("items")) {
            long rv = cm.path("metadata").path("resourceVersion").asLong();
            if (rv > lastAcked) {
                unacknowledged.add(new Event(null, cm.path("metadata").path("name").asText(), rv,
                        cm.path("data").path("seq").asText()));
            }
        }
        Set<Long> unknownType = unacknowledged.stream().map(Event::resourceVersion).collect(Collectors.toSet());
        String query = "?watch=true&allowWatchBookmarks=false&resourceVersion=";
        try (Watch fromAck = api.watch(CONFIGMAPS + query + lastAcked);
                Watch fromRestart = api.watch(CONFIGMAPS + query + restartRevision)) {
            List<Event> changes = changes(api, "after", CHANGES_AFTER_RESTART);
            assertThat(changes.getFirst().resourceVersion()).as("first version after the restart")
                    .isGreaterThan(Math.max(lastAcked, restartRevision));
            long last = changes.getLast().resourceVersion();

            assertThat(fromRestart.readUntil(last, Duration.ofSeconds(15)))
                    .as("events after the restart revision %d", restartRevision).containsExactlyElementsOf(changes);
            assertThat(fromRestart.pending(Duration.ofMillis(300))).as("events after the last change").isEmpty();

            List<Event> resumed = fromAck.readUntil(last, Duration.ofSeconds(15)).stream()
                    .map(e -> unknownType.contains(e.resourceVersion()) ? new Event(null, e.name(), e.resourceVersion(), e.seq()) : e)
                    .toList();
            if (resumed.size() == 1 && resumed.getFirst().type().equals("ERROR")) {
                // kube-apiserver's watch cache starts empty at the revision it was listed at, so a version
                // older than that is answered 410 Expired; that is only legitimate when such older history
                // exists, i.e. an unacknowledged write landed between the last ack and the restart.
                assertThat(unacknowledged).as("410 for resourceVersion %d although it is the restart revision",
                        lastAcked).isNotEmpty();
                assertThat(resumed.getFirst().seq())
                        .isEqualTo("410 Expired too old resource version: " + lastAcked + " (" + (restartRevision + 1) + ")");
            } else {
                List<Event> expected = new ArrayList<>(unacknowledged);
                expected.sort(Comparator.comparingLong(Event::resourceVersion));
                expected.addAll(changes);
                assertThat(resumed).as("events after resourceVersion %d", lastAcked).containsExactlyElementsOf(expected);
                assertThat(fromAck.pending(Duration.ofMillis(300))).as("events after the last change").isEmpty();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void watchFromTheLastAcknowledgedVersionResumesExactlyAfterSigkill() throws Exception {
        int port = freePort();
        Process first = start(port);
        Api api = new Api(port, dataDir);
        List<Event> before = changes(api, "before", 10);
        long lastAcked = before.getLast().resourceVersion();
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

        start(port);
        try (Watch watch = api.watch(CONFIGMAPS + "?watch=true&allowWatchBookmarks=false&resourceVersion=" + lastAcked)) {
            List<Event> after = changes(api, "after", CHANGES_AFTER_RESTART);
            // A store that lost its revision counter would reuse versions the clients have already seen.
            assertThat(after.getFirst().resourceVersion()).as("first version after the restart").isGreaterThan(lastAcked);
            assertThat(watch.readUntil(after.getLast().resourceVersion(), Duration.ofSeconds(15)))
                    .as("events after resourceVersion %d", lastAcked).containsExactlyElementsOf(after);
            assertThat(watch.pending(Duration.ofMillis(300))).as("events after the last change").isEmpty();
        }
    }

    /** Creates and updates ConfigMaps {@code prefix-0..}, alternately, returning the events they must cause. */
    private static List<Event> changes(Api api, String prefix, int count) throws IOException {
        List<Event> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + (i / 2);
            JsonNode written = i % 2 == 0
                    ? api.send("POST", CONFIGMAPS, configMap(name, i, Stream.empty()))
                    : api.send("PUT", CONFIGMAPS + "/" + name, configMap(name, i,
                            Stream.of(changes.getLast().resourceVersion())));
            changes.add(new Event(i % 2 == 0 ? "ADDED" : "MODIFIED", name,
                    written.path("metadata").path("resourceVersion").asLong(), Integer.toString(i)));
        }
        return changes;
    }

    /** One writer owns one ConfigMap: creates it, then updates it until the server goes away. */
    private static void write(Api api, String name, Map<String, Ack> acked, AtomicInteger ackCount,
            CompletableFuture<Void> enough) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seq = 0;
        Stream<Long> rv = Stream.empty();
        while (System.nanoTime() < deadline) {
            JsonNode reply;
            try {
                reply = seq == 0 ? api.send("POST", CONFIGMAPS, configMap(name, seq, rv))
                        : api.send("PUT", CONFIGMAPS + "/" + name, configMap(name, seq, rv));
            } catch (IOException | UncheckedIOException e) {
                return;
            }
            long version = reply.path("metadata").path("resourceVersion").asLong();
            acked.put(name, new Ack(name, version, seq));
            if (ackCount.incrementAndGet() >= ACKS_BEFORE_KILL) {
                enough.complete(null);
            }
            rv = Stream.of(version);
            seq++;
        }
        enough.completeExceptionally(new AssertionError("server still up after 30 s of writes"));
    }

    private static String configMap(String name, int seq, Stream<Long> resourceVersion) {
        ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata").put("name", name);
        resourceVersion.forEach(rv -> meta.put("resourceVersion", Long.toString(rv)));
        cm.putObject("data").put("seq", Integer.toString(seq));
        return cm.toString();
    }

    private Process start(int port) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                // debug shows the stack trace of a request that fails outside the API error mapping
                "-Dorg.slf4j.simpleLogger.log.io.kube4j.apiserver.http=debug",
                "-cp", System.getProperty("java.class.path"), Kube4jCommand.class.getName(),
                "up", Profiles.defaultWithoutProxy(dataDir).toString(), "--data-dir", dataDir.toString(),
                "--address", "127.0.0.1:" + port)
                .redirectErrorStream(true);
        Process p = pb.start();
        children.add(p);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuffer output = new StringBuffer();
        outputs.add(output);
        Thread pump = new Thread(() -> pump(p.getInputStream(), output, ready), "kube4j-child-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("child kube4j did not become ready: " + e + "\n" + output);
        }
        return p;
    }

    /** Drains the child's output (so it never blocks on a full pipe) and signals the ready line. */
    private static void pump(InputStream in, StringBuffer output, CompletableFuture<Void> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("export KUBECONFIG=")) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("child exited before it was ready"));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A JDK HttpClient that trusts the cluster CA and sends the admin token. */
    private static final class Api {
        private final HttpClient http;
        private final String base;
        private final String token;

        Api(int port, Path dataDir) throws Exception {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(dataDir.resolve("pki/ca.crt"))) {
                trust.setCertificateEntry("kube4j-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            this.http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            this.base = "https://127.0.0.1:" + port;
            this.token = Files.readAllLines(dataDir.resolve("tokens.csv")).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return send("GET", path, "");
        }

        /** Sends one request; any status other than 2xx is an error, a lost connection an IOException. */
        JsonNode send(String method, String path, String body) throws IOException {
            HttpRequest.BodyPublisher pub = body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            HttpResponse<String> r;
            try {
                r = http.send(request(path).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .method(method, pub).build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }

        Watch watch(String path) throws IOException, InterruptedException {
            HttpResponse<Stream<String>> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                String body = String.join("\n", r.body().toList());
                throw new AssertionError("watch " + path + " -> " + r.statusCode() + ": " + body);
            }
            return new Watch(r.body());
        }
    }

    /** Reads watch lines on a daemon thread into a queue, so the test can wait with a deadline. */
    private static final class Watch implements AutoCloseable {
        private final Stream<String> lines;
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        Watch(Stream<String> lines) {
            this.lines = lines;
            Thread t = new Thread(() -> {
                try {
                    lines.forEach(queue::add);
                } catch (UncheckedIOException e) {
                    // closing the stream ends the read
                }
            }, "watch-reader");
            t.setDaemon(true);
            t.start();
        }

        List<Event> readUntil(long resourceVersion, Duration timeout) throws Exception {
            List<Event> seen = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.isEmpty() || seen.getLast().resourceVersion() < resourceVersion) {
                String line = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("watch stopped before resourceVersion " + resourceVersion + "; got " + seen);
                }
                Event e = parse(line);
                if (e.type().equals("ERROR")) {
                    assertThat(seen).as("events before the watch error %s", line).isEmpty();
                    return List.of(e);
                }
                seen.add(e);
            }
            return seen;
        }

        List<Event> pending(Duration wait) throws Exception {
            List<Event> more = new ArrayList<>();
            String line = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            for (; line != null; line = queue.poll()) {
                more.add(parse(line));
            }
            return more;
        }

        private static Event parse(String line) throws IOException {
            JsonNode e = JSON.readTree(line);
            JsonNode o = e.path("object");
            if (e.path("type").asText().equals("ERROR")) {
                return new Event("ERROR", "", 0, o.path("code").asText() + " " + o.path("reason").asText() + " "
                        + o.path("message").asText());
            }
            return new Event(e.path("type").asText(), o.path("metadata").path("name").asText(),
                    o.path("metadata").path("resourceVersion").asLong(), o.path("data").path("seq").asText());
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
