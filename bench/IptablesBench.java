import io.kube4j.api.client.ApiClient;
import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.network.iptables.IptablesConfig;
import io.kube4j.network.iptables.IptablesProxyModeFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The iptables proxy mode's benchmarks (docs/benchmarks.md), run by bench/iptables.sh inside a
 * fresh network namespace prepared by it (node0 with 10.233.0.1/24 and the backend addresses
 * 10.233.1.1-3, a default route):
 *   1. program 1,000 Services x 10 endpoints from nothing (full sync), and again (same state);
 *   2. one endpoint change among them through syncChanged (median and max of 20);
 *   3. HTTP requests/s and p99 straight to the backend vs. through a ClusterIP whose rule is the last
 *      of KUBE-SERVICES (after the 1,000) and one whose rule is the first, alternating rounds, with a
 *      new connection per request and with keep-alive.
 * Usage: java -cp CP IptablesBench.java [services] [endpoints] [seconds-per-phase] [concurrency]
 *            [iptables|legacy] [fullSyncBatch] [traffic|no-traffic]
 */
public class IptablesBench {
    static final String CLUSTER_IP = "10.97.255.254";
    static final String FIRST_CLUSTER_IP = "10.97.0.1";
    static final String NODE_IP = "10.233.0.1";
    static final List<String> BACKENDS = List.of("10.233.1.1", "10.233.1.2", "10.233.1.3");
    static final int BACKEND_PORT = 8080;
    static final byte[] BODY = "hello from the backend\n".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        String tools = args.length > 4 ? args[4] : "iptables";
        Integer batch = args.length > 5 && !args[5].equals("default") ? Integer.valueOf(args[5]) : null;
        boolean traffic = args.length <= 6 || args[6].equals("traffic");

        String prefix = tools.equals("legacy") ? "iptables-legacy" : "iptables";
        IptablesConfig config = new IptablesConfig(null, null, null, null, prefix + "-restore", prefix + "-save", null, batch);
        ProxyMode mode = new IptablesProxyModeFactory().create(config, new Context());
        Map<ServicePortName, ServicePortInfo> ports = new HashMap<>();
        Map<ServicePortName, List<EndpointInfo>> eps = new HashMap<>();
        for (int s = 0; s < services; s++) {
            ServicePortName name = new ServicePortName("bench", String.format("svc-%05d", s), "http", Protocol.TCP);
            ports.put(name, ServicePortInfo.clusterIp("10.96." + (s / 250) + "." + (s % 250 + 1), 80, Protocol.TCP));
            List<EndpointInfo> list = new ArrayList<>();
            for (int e = 0; e < endpoints; e++) {
                int n = s * endpoints + e;
                list.add(endpoint("10.240." + (n / 250 % 250) + "." + (n % 250 + 1), 8080 + n / 62500));
            }
            eps.put(name, list);
        }
        // The traffic's service sorts after all the others: its rule is the last KUBE-SERVICES scans.
        ServicePortName web = new ServicePortName("zz-bench", "web", "http", Protocol.TCP);
        ports.put(web, ServicePortInfo.clusterIp(CLUSTER_IP, 80, Protocol.TCP));
        eps.put(web, BACKENDS.stream().map(ip -> endpoint(ip, BACKEND_PORT)).toList());
        // And the same backends behind the first rule of KUBE-SERVICES, for the best case.
        ServicePortName front = new ServicePortName("aa-bench", "web", "http", Protocol.TCP);
        ports.put(front, ServicePortInfo.clusterIp(FIRST_CLUSTER_IP, 80, Protocol.TCP));
        eps.put(front, eps.get(web));
        ProxyState state = new ProxyState(ports, eps);

        long t0 = System.nanoTime();
        double c0 = cpuMs();
        double k0 = childrenCpuMs();
        mode.sync(state);
        double first = ms(t0);
        double firstCpu = cpuMs() - c0;
        double firstChildren = childrenCpuMs() - k0;
        t0 = System.nanoTime();
        c0 = cpuMs();
        mode.sync(state);
        double again = ms(t0);
        double againCpu = cpuMs() - c0;
        System.out.printf("op=iptables_full_sync tools=%s batch=%d services=%d endpoints_per_service=%d first_ms=%.0f first_cpu_ms=%.0f"
                        + " (iptables-restore %.0f) resync_same_ms=%.0f resync_same_cpu_ms=%.0f%n",
                prefix, config.fullSyncBatch(), services, endpoints, first, firstCpu, firstChildren, again, againCpu);

        double[] changes = new double[20];
        double[] changesCpu = new double[20];
        ServicePortName changed = new ServicePortName("bench", String.format("svc-%05d", services / 2), "http", Protocol.TCP);
        Map<ServicePortName, List<EndpointInfo>> moving = new HashMap<>(eps);
        for (int i = 0; i < changes.length; i++) {
            List<EndpointInfo> list = new ArrayList<>(eps.get(changed));
            list.set(0, endpoint("10.250.0." + (i + 1), 8080));
            moving.put(changed, list);
            ProxyState next = new ProxyState(ports, moving);
            t0 = System.nanoTime();
            c0 = cpuMs();
            mode.syncChanged(next, Set.of(changed));
            changes[i] = ms(t0);
            changesCpu[i] = cpuMs() - c0;
        }
        Arrays.sort(changesCpu);
        Arrays.sort(changes);
        System.out.printf("op=iptables_sync_changed tools=%s services=%d changed=1 endpoint_moved median_ms=%.1f max_ms=%.1f median_cpu_ms=%.1f runs=%d%n",
                prefix, services, changes[changes.length / 2], changes[changes.length - 1], changesCpu[changes.length / 2],
                changes.length);
        // A port that loses its last endpoint (and gets it back) rewrites KUBE-SERVICES and the filter table too.
        double[] entries = new double[10];
        double[] entriesCpu = new double[10];
        for (int i = 0; i < entries.length; i++) {
            moving.put(changed, i % 2 == 0 ? List.of() : eps.get(changed));
            ProxyState next = new ProxyState(ports, moving);
            t0 = System.nanoTime();
            c0 = cpuMs();
            mode.syncChanged(next, Set.of(changed));
            entries[i] = ms(t0);
            entriesCpu[i] = cpuMs() - c0;
        }
        Arrays.sort(entries);
        Arrays.sort(entriesCpu);
        System.out.printf("op=iptables_sync_changed tools=%s services=%d changed=1 all_endpoints_gone_or_back median_ms=%.1f max_ms=%.1f median_cpu_ms=%.1f runs=%d%n",
                prefix, services, entries[entries.length / 2], entries[entries.length - 1], entriesCpu[entries.length / 2],
                entries.length);
        mode.sync(state);
        if (!traffic) {
            mode.sync(ProxyState.EMPTY);
            return;
        }

        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", BACKEND_PORT), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        int rounds = Integer.getInteger("rounds", 10);
        for (boolean keepAlive : new boolean[] {false, true}) {
            load(BACKENDS.get(0), BACKEND_PORT, 3, concurrency, keepAlive);
            load(CLUSTER_IP, 80, 3, concurrency, keepAlive);
            load(FIRST_CLUSTER_IP, 80, 2, concurrency, keepAlive);
            List<Result> direct = new ArrayList<>();
            List<Result> viaLast = new ArrayList<>();
            List<Result> viaFirst = new ArrayList<>();
            // Alternated, so that the other builds on a shared machine weigh on all alike.
            for (int round = 1; round <= rounds; round++) {
                direct.add(report("direct", round, keepAlive, concurrency, load(BACKENDS.get(0), BACKEND_PORT, seconds, concurrency, keepAlive)));
                viaLast.add(report("clusterip_last", round, keepAlive, concurrency, load(CLUSTER_IP, 80, seconds, concurrency, keepAlive)));
                viaFirst.add(report("clusterip_first", round, keepAlive, concurrency,
                        load(FIRST_CLUSTER_IP, 80, seconds, concurrency, keepAlive)));
            }
            Result d = merge(direct);
            Result c = merge(viaLast);
            Result f = merge(viaFirst);
            System.out.printf("op=http_summary connection=%s concurrency=%d rounds=%d direct_rps=%.0f clusterip_last_rps=%.0f"
                            + " clusterip_first_rps=%.0f ratio_last=%.2f ratio_first=%.2f direct_p99_ms=%.2f clusterip_last_p99_ms=%.2f"
                            + " clusterip_first_p99_ms=%.2f errors=%d/%d/%d%n",
                    keepAlive ? "keep-alive" : "new-per-request", concurrency, rounds, rps(d), rps(c), rps(f),
                    rps(c) / rps(d), rps(f) / rps(d), p99(d.latenciesMicros()), p99(c.latenciesMicros()),
                    p99(f.latenciesMicros()), d.errors(), c.errors(), f.errors());
        }
        server.stop(0);
        mode.sync(ProxyState.EMPTY);
    }

    record Result(long requests, long errors, double seconds, long[] latenciesMicros) {
    }

    static Result merge(List<Result> results) {
        long requests = 0;
        long errors = 0;
        double seconds = 0;
        long[] all = new long[0];
        for (Result r : results) {
            requests += r.requests();
            errors += r.errors();
            seconds += r.seconds();
            long[] next = Arrays.copyOf(all, all.length + r.latenciesMicros().length);
            System.arraycopy(r.latenciesMicros(), 0, next, all.length, r.latenciesMicros().length);
            all = next;
        }
        return new Result(requests, errors, seconds, all);
    }

    static double rps(Result r) {
        return r.requests() / r.seconds();
    }

    static double p99(long[] micros) {
        long[] l = micros.clone();
        Arrays.sort(l);
        return l.length == 0 ? 0 : l[(int) (l.length * 0.99)] / 1000.0;
    }

    static Result report(String target, int round, boolean keepAlive, int concurrency, Result r) {
        long[] l = r.latenciesMicros().clone();
        Arrays.sort(l);
        System.out.printf("op=http target=%s round=%d connection=%s concurrency=%d requests=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f%n",
                target, round, keepAlive ? "keep-alive" : "new-per-request", concurrency, r.requests(), r.errors(),
                r.requests() / r.seconds(), l.length == 0 ? 0 : l[l.length / 2] / 1000.0,
                l.length == 0 ? 0 : l[(int) (l.length * 0.99)] / 1000.0);
        return r;
    }

    static Result load(String host, int port, int seconds, int concurrency, boolean keepAlive) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> lat = new ArrayList<>();
        long[] counts = new long[concurrency * 2];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            long[] mine = new long[2_000_000];
            lat.add(mine);
            int index = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                byte[] request = ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                Socket socket = null;
                int n = 0;
                while (!stop.get()) {
                    long t = System.nanoTime();
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            // From the node's address whatever the target: else a backend address, local here, would be
                            // its own source, and the two paths would differ by more than the NAT.
                            socket.bind(new InetSocketAddress(NODE_IP, 0));
                            socket.connect(new InetSocketAddress(host, port), 3000);
                        }
                        socket.getOutputStream().write(request);
                        readResponse(socket.getInputStream());
                        if (!keepAlive) {
                            // An abortive close (RST) leaves no TIME_WAIT: tens of thousands of them towards one address
                            // make connect() hunt for a free port, which would measure the port allocator, not the NAT.
                            socket.setSoLinger(true, 0);
                            socket.close();
                            socket = null;
                        }
                        if (n < mine.length) {
                            mine[n] = (System.nanoTime() - t) / 1000;
                        }
                        n++;
                    } catch (Exception e) {
                        counts[index * 2 + 1]++;
                        try {
                            if (socket != null) {
                                socket.close();
                            }
                        } catch (Exception ignored) {
                            // already broken
                        }
                        socket = null;
                    }
                }
                counts[index * 2] = n;
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (Exception ignored) {
                    // closing at the end
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long requests = 0;
        long errors = 0;
        for (int c = 0; c < concurrency; c++) {
            requests += counts[c * 2];
            errors += counts[c * 2 + 1];
        }
        long[] all = new long[(int) Math.min(requests, Integer.MAX_VALUE - 8)];
        int k = 0;
        for (int c = 0; c < concurrency; c++) {
            int n = (int) Math.min(counts[c * 2], lat.get(c).length);
            System.arraycopy(lat.get(c), 0, all, k, n);
            k += n;
        }
        return new Result(requests, errors, elapsed, Arrays.copyOf(all, k));
    }

    /** Reads one response: headers, then Content-Length bytes. */
    static void readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.charAt(head.length() - 1) == '\n' && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        if (b < 0) {
            throw new java.io.EOFException("no response");
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
    }

    static EndpointInfo endpoint(String ip, int port) {
        return new EndpointInfo(ip, port, true, true, false, Optional.of("bench-node"), Optional.empty());
    }

    /**
     * CPU time of this thread plus of the children waited for (iptables-restore, whose system time
     * includes the kernel applying its transaction): on a shared, loaded machine this says more
     * than the wall clock, which also counts waiting for a core.
     */
    static double cpuMs() throws Exception {
        return childrenCpuMs() + java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6;
    }

    static double childrenCpuMs() throws Exception {
        String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 16 and 17 of proc(5) (cutime, cstime), counted from field 3 here, in clock ticks of 10 ms.
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10.0;
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static final class Context implements ProxyContext {
        @Override public String nodeName() { return "bench-node"; }
        @Override public List<String> nodeIps() { return List.of("10.233.0.1"); }
        @Override public ApiClient client() { throw new UnsupportedOperationException(); }
        @Override public Path dataDir() { return Path.of("/tmp"); }
        @Override public Clock clock() { return Clock.systemUTC(); }
    }
}
