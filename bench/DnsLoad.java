import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small DNS load generator for the dns add-on's benchmark (docs/benchmarks.md): each thread keeps
 * {@code --window} A queries for {@code --name} in flight over its own UDP socket for
 * {@code --seconds}, and counts the answers that are NOERROR with at least one record. Prints one
 * line: queries per second, answers, losses, errors and latency percentiles. No dependencies:
 * {@code java bench/DnsLoad.java --server 127.0.0.1:10053 --name kubernetes.default.svc.cluster.local}.
 */
public final class DnsLoad {
    public static void main(String[] args) throws Exception {
        String server = "127.0.0.1:10053";
        String name = "kubernetes.default.svc.cluster.local";
        int threads = 2;
        int window = 32;
        int seconds = 10;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--server" -> server = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--window" -> window = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int colon = server.lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        byte[] query = query(name);
        // warm-up, so that the server's JIT is not what is measured
        run(target, query, threads, window, 3_000_000_000L, new AtomicLong(), new AtomicLong(), new AtomicLong(), new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long t0 = System.nanoTime();
        run(target, query, threads, window, seconds * 1_000_000_000L, ok, bad, lost, latencies);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
        System.out.printf("op=dns-udp server=%s name=%s threads=%d window=%d seconds=%.1f qps=%.0f answers=%d errors=%d lost=%d"
                        + " p50_us=%d p99_us=%d%n", server, name, threads, window, elapsed, ok.get() / elapsed, ok.get(), bad.get(),
                lost.get(), pct(all, 0.50), pct(all, 0.99));
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000;
    }

    private static void run(InetSocketAddress target, byte[] query, int threads, int window, long nanos, AtomicLong ok,
                            AtomicLong bad, AtomicLong lost, List<long[]> latencies) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[4_000_000];
            latencies.add(samples);
            started.add(Thread.ofPlatform().name("dnsload-" + t).start(() -> {
                try {
                    load(target, query, window, nanos, ok, bad, lost, samples);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
    }

    private static void load(InetSocketAddress target, byte[] template, int window, long nanos, AtomicLong ok, AtomicLong bad,
                             AtomicLong lost, long[] samples) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(target);
            ch.socket().setSoTimeout(500);
            long[] sentAt = new long[65536];
            byte[] q = template.clone();
            ByteBuffer in = ByteBuffer.allocate(4096);
            int next = 0;
            int inFlight = 0;
            int n = 0;
            long end = System.nanoTime() + nanos;
            var socket = ch.socket();
            var packetIn = new java.net.DatagramPacket(in.array(), in.capacity());
            while (System.nanoTime() < end) {
                while (inFlight < window) {
                    int id = next++ & 0xFFFF;
                    q[0] = (byte) (id >> 8);
                    q[1] = (byte) id;
                    sentAt[id] = System.nanoTime();
                    socket.send(new java.net.DatagramPacket(q, q.length));
                    inFlight++;
                }
                try {
                    socket.receive(packetIn);
                } catch (SocketTimeoutException e) {
                    lost.addAndGet(inFlight);
                    inFlight = 0;
                    continue;
                }
                inFlight--;
                byte[] r = packetIn.getData();
                int id = ((r[0] & 0xFF) << 8) | (r[1] & 0xFF);
                int rcode = r[3] & 0x0F;
                int answers = ((r[6] & 0xFF) << 8) | (r[7] & 0xFF);
                if (rcode == 0 && answers > 0) {
                    ok.incrementAndGet();
                    if (n < samples.length) {
                        samples[n++] = System.nanoTime() - sentAt[id];
                    }
                } else {
                    bad.incrementAndGet();
                }
            }
        }
    }

    /** A standard query (RD set) for the A record of {@code name}. */
    private static byte[] query(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.write(b.length);
            out.writeBytes(b);
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return out.toByteArray();
    }
}
