// Node-side benchmarks that ApiLoad does not cover: how long until N nodes are Ready, and how long pods
// created with spec.nodeName set take to be seen Running by a watch. Plain JDK HTTP plus Jackson; run
// with the launcher's class path:
//   java -cp 'distribution/target/lib/*' bench/NodeLoad.java nodes --server S --token T --expect 1000 --since-ms EPOCH_MS
//   java -cp 'distribution/target/lib/*' bench/NodeLoad.java pods --server S --token T --pods 30000 --concurrency 32 \
//       [--selector kube4j.io/simulated=true | --node node-1 | --names 'sim-{index}:1000'] [--command 'sleep 3600']
//       [--max-seconds 300]
//   java -cp 'distribution/target/lib/*' bench/NodeLoad.java deployments --server S --token T --deployments 600 \
//       --replicas 1 --concurrency 16 [--max-seconds 300]
// --names binds to nodes that need not exist (the baseline: the API server holding the pods, no kubelet).
// deployments: through the scheduler and the controller-manager, from the first POST until a watch has seen
// every Deployment with all its replicas available (status.availableReplicas, observedGeneration current).
// Output: one op=... line per result, as ApiLoad's.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class NodeLoad {
    static final ObjectMapper JSON = new ObjectMapper();
    static HttpClient http;
    static String server;
    static String token;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                opts.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        server = opts.getOrDefault("server", "https://127.0.0.1:6443");
        token = opts.getOrDefault("token", System.getenv("APILOAD_TOKEN"));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        long maxSeconds = Long.parseLong(opts.getOrDefault("max-seconds", "300"));
        switch (args.length == 0 ? "" : args[0]) {
            case "nodes" -> nodes(Integer.parseInt(opts.getOrDefault("expect", "1000")),
                    Long.parseLong(opts.getOrDefault("since-ms", Long.toString(System.currentTimeMillis()))), maxSeconds);
            case "pods" -> pods(Integer.parseInt(opts.getOrDefault("pods", "1000")),
                    Integer.parseInt(opts.getOrDefault("concurrency", "32")), opts.getOrDefault("selector", ""),
                    opts.getOrDefault("node", ""), opts.getOrDefault("names", ""), opts.getOrDefault("command", ""), maxSeconds);
            case "deployments" -> deployments(Integer.parseInt(opts.getOrDefault("deployments", "600")),
                    Integer.parseInt(opts.getOrDefault("replicas", "1")), Integer.parseInt(opts.getOrDefault("concurrency", "16")),
                    maxSeconds);
            default -> {
                System.err.println("usage: NodeLoad.java nodes|pods|deployments --server S --token T ... (see the head of the file)");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(r.body());
    }

    static final AtomicInteger retries = new AtomicInteger();

    /** POSTs, retrying a 429 after its Retry-After (at most 10 times), as client-go does. */
    static int post(String path, String body) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<Void> r = http.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 429 || attempt >= 10) {
                return r.statusCode();
            }
            retries.incrementAndGet();
            Thread.sleep(1000L * Math.max(1, Math.min(10, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")))));
        }
    }

    /** Calls {@code onEvent} for every event of the watch on {@code path} from {@code rv}, on a virtual thread. */
    static Thread watch(String path, String rv, java.util.function.Consumer<JsonNode> onEvent) {
        return Thread.ofVirtual().start(() -> {
            try {
                String sep = path.contains("?") ? "&" : "?";
                HttpResponse<InputStream> r = http.send(request(path + sep + "watch=true&resourceVersion=" + rv
                        + "&timeoutSeconds=3600").timeout(Duration.ofHours(1)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.isBlank()) {
                            onEvent.accept(JSON.readTree(line));
                        }
                    }
                }
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    System.err.println("# watch " + path + " ended: " + e);
                }
            }
        });
    }

    static boolean ready(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** Waits for {@code expect} Ready nodes; prints the time since {@code sinceMs} (the cluster's spawn). */
    static void nodes(int expect, long sinceMs, long maxSeconds) throws Exception {
        Map<String, Boolean> readiness = new ConcurrentHashMap<>();
        AtomicInteger readyCount = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        java.util.function.Consumer<JsonNode> see = node -> {
            String name = node.path("metadata").path("name").asText();
            boolean now = ready(node);
            Boolean before = readiness.put(name, now);
            if (now && !Boolean.TRUE.equals(before)) {
                if (readyCount.incrementAndGet() >= expect) {
                    done.countDown();
                }
            } else if (!now && Boolean.TRUE.equals(before)) {
                readyCount.decrementAndGet();
            }
        };
        JsonNode list = get("/api/v1/nodes");
        list.path("items").forEach(see);
        System.out.println("# nodes: " + readyCount.get() + " Ready at the first list, "
                + (System.currentTimeMillis() - sinceMs) + " ms after the spawn");
        Thread w = watch("/api/v1/nodes", list.path("metadata").path("resourceVersion").asText(),
                e -> see.accept(e.path("object")));
        boolean ok = done.await(maxSeconds, TimeUnit.SECONDS);
        long ms = System.currentTimeMillis() - sinceMs;
        System.out.printf("op=nodes_ready expect=%d ready=%d ready_s=%.2f timed_out=%s%n", expect, readyCount.get(),
                ms / 1000.0, !ok);
        w.interrupt();
    }

    static String podJson(String ns, String name, String node, String command) {
        String cmd = command.isEmpty() ? "" : ",\"command\":" + toJsonArray(command.split(" "));
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","labels":{"app":"nodeload","tier":"backend"},\
                "annotations":{"bench/purpose":"pod created with spec.nodeName set, to time it to Running"}},\
                "spec":{"nodeName":"%s","restartPolicy":"Always","terminationGracePeriodSeconds":5,\
                "containers":[{"name":"app","image":"registry.local/nodeload/app:1.0.0"%s,\
                "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],\
                "env":[{"name":"APP_MODE","value":"benchmark"}],\
                "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}""".formatted(name, ns, node, cmd);
    }

    static String toJsonArray(String[] parts) {
        try {
            return JSON.writeValueAsString(parts);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates {@code n} pods with spec.nodeName round-robin over the nodes (those matching {@code selector},
     * or {@code node}), at {@code concurrency}, and times each from its POST to the watch event that shows it Running.
     */
    static void pods(int n, int concurrency, String selector, String node, String names, String command, long maxSeconds)
            throws Exception {
        List<String> nodes = new ArrayList<>();
        if (!names.isEmpty()) {
            int colon = names.lastIndexOf(':');
            for (int i = 0; i < Integer.parseInt(names.substring(colon + 1)); i++) {
                nodes.add(names.substring(0, colon).replace("{index}", Integer.toString(i)));
            }
        } else if (!node.isEmpty()) {
            nodes.addAll(Arrays.asList(node.split(",")));
        } else {
            String q = selector.isEmpty() ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
            get("/api/v1/nodes" + q).path("items").forEach(i -> nodes.add(i.path("metadata").path("name").asText()));
        }
        if (nodes.isEmpty()) {
            throw new IllegalStateException("no nodes match " + selector);
        }
        String ns = "nodeload-" + Long.toString(System.currentTimeMillis(), 36);
        if (post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}") != 201) {
            throw new IllegalStateException("cannot create namespace " + ns);
        }
        long[] sent = new long[n];
        long[] running = new long[n];
        AtomicInteger runningCount = new AtomicInteger();
        CountDownLatch allRunning = new CountDownLatch(n);
        JsonNode list = get("/api/v1/namespaces/" + ns + "/pods");
        Thread w = watch("/api/v1/namespaces/" + ns + "/pods", list.path("metadata").path("resourceVersion").asText(), e -> {
            JsonNode pod = e.path("object");
            if (!pod.path("status").path("phase").asText().equals("Running")) {
                return;
            }
            int i = Integer.parseInt(pod.path("metadata").path("name").asText().substring(4));
            long now = System.nanoTime();
            if (running[i] == 0) {
                running[i] = now;
                runningCount.incrementAndGet();
                allRunning.countDown();
            }
        });
        Thread.sleep(200);
        long t0 = System.nanoTime();
        Created created = createAll(n, concurrency, sent, allRunning, index -> post("/api/v1/namespaces/" + ns + "/pods",
                podJson(ns, "pod-" + index, nodes.get(index % nodes.size()), command)));
        double createS = created.seconds();
        System.out.printf("# pods: %d created in %.2f s (%.1f/s), %d errors, %d retries after 429, %d Running so far%n", n,
                createS, n / createS, created.errors(), retries.get(), runningCount.get());
        boolean ok = allRunning.await(maxSeconds, TimeUnit.SECONDS);
        double allS = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latencies(sent, running);
        System.out.printf("op=pods_running pods=%d nodes=%d concurrency=%d create_errors=%d create_s=%.2f create_throughput=%.1f"
                        + " running=%d all_running_s=%.2f running_throughput=%.1f lat_p50_ms=%.1f lat_p90_ms=%.1f"
                        + " lat_p99_ms=%.1f lat_max_ms=%.1f timed_out=%s%n",
                n, nodes.size(), concurrency, created.errors(), createS, n / createS, runningCount.get(), allS,
                runningCount.get() / allS, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, !ok);
        w.interrupt();
    }

    /** What a create phase did: its failed POSTs, the first failure, and how long it took. */
    record Created(int errors, String firstError, double seconds) {
    }

    interface Post {
        /** POSTs the {@code index}-th object; returns the HTTP status. */
        int post(int index) throws Exception;
    }

    /**
     * POSTs {@code n} objects, {@code concurrency} at a time, each on a virtual thread; {@code sent[i]} is when
     * the i-th went, and each one that failed counts {@code done} down (it will never be seen).
     */
    static Created createAll(int n, int concurrency, long[] sent, CountDownLatch done, Post post) throws InterruptedException {
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        Semaphore inFlight = new Semaphore(concurrency);
        long t0 = System.nanoTime();
        try (ExecutorService creates = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                inFlight.acquire();
                creates.submit(() -> {
                    try {
                        sent[index] = System.nanoTime();
                        int code = post.post(index);
                        if (code != 201) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "HTTP " + code);
                            done.countDown();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                        done.countDown();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return new Created(errors.get(), firstError.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** From each object's POST to when it was seen, of those seen, sorted. */
    static long[] latencies(long[] sent, long[] seen) {
        long[] lat = new long[sent.length];
        int k = 0;
        for (int i = 0; i < sent.length; i++) {
            if (seen[i] != 0) {
                lat[k++] = seen[i] - sent[i];
            }
        }
        long[] sorted = Arrays.copyOf(lat, k);
        Arrays.sort(sorted);
        return sorted;
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static String deploymentJson(String ns, String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s","namespace":"%2$s","labels":{"app":"%1$s"}},\
                "spec":{"replicas":%3$d,"selector":{"matchLabels":{"app":"%1$s"}},\
                "template":{"metadata":{"labels":{"app":"%1$s","tier":"backend"}},\
                "spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"app","image":"registry.local/nodeload/app:1.0.0",\
                "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],\
                "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}""".formatted(name, ns, replicas);
    }

    /**
     * Creates {@code n} Deployments of {@code replicas} each at {@code concurrency}, and times each from its
     * POST to the watch event that shows all its replicas available; prints progress of the largest.
     */
    static void deployments(int n, int replicas, int concurrency, long maxSeconds) throws Exception {
        String ns = "deployload-" + Long.toString(System.currentTimeMillis(), 36);
        if (post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}") != 201) {
            throw new IllegalStateException("cannot create namespace " + ns);
        }
        long[] sent = new long[n];
        long[] available = new long[n];
        AtomicInteger availableCount = new AtomicInteger();
        AtomicInteger mostAvailable = new AtomicInteger();
        CountDownLatch allAvailable = new CountDownLatch(n);
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        JsonNode list = get(path);
        Thread w = watch(path, list.path("metadata").path("resourceVersion").asText(), e -> {
            JsonNode d = e.path("object");
            int ready = d.path("status").path("availableReplicas").asInt(0);
            mostAvailable.accumulateAndGet(ready, Math::max);
            boolean current = d.path("status").path("observedGeneration").asLong(0) >= d.path("metadata").path("generation").asLong(1);
            if (!current || ready < replicas || d.path("status").path("updatedReplicas").asInt(0) < replicas) {
                return;
            }
            int i = Integer.parseInt(d.path("metadata").path("name").asText().substring(7));
            if (available[i] == 0) {
                available[i] = System.nanoTime();
                availableCount.incrementAndGet();
                allAvailable.countDown();
            }
        });
        Thread.sleep(200);
        long t0 = System.nanoTime();
        Created created = createAll(n, concurrency, sent, allAvailable, index -> post(path, deploymentJson(ns, "deploy-" + index, replicas)));
        double createS = created.seconds();
        System.out.printf("# deployments: %d created in %.2f s, %d errors%s, %d available so far%n", n, createS, created.errors(),
                created.firstError() == null ? "" : " (first: " + created.firstError() + ")", availableCount.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (!allAvailable.await(5, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
            System.out.printf("# %.0f s: %d of %d deployments available, the most available replicas of one: %d%n",
                    (System.nanoTime() - t0) / 1e9, availableCount.get(), n, mostAvailable.get());
        }
        boolean ok = allAvailable.getCount() == 0;
        double allS = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latencies(sent, available);
        System.out.printf("op=deployments_available deployments=%d replicas=%d concurrency=%d create_errors=%d create_s=%.2f"
                        + " available=%d all_available_s=%.2f deployments_per_s=%.1f pods_per_s=%.1f lat_p50_ms=%.1f"
                        + " lat_p99_ms=%.1f lat_max_ms=%.1f timed_out=%s%n",
                n, replicas, concurrency, created.errors(), createS, availableCount.get(), allS, availableCount.get() / allS,
                (double) availableCount.get() * replicas / allS, pct(sorted, 50), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, !ok);
        w.interrupt();
    }
}
