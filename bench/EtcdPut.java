// Raw etcd put throughput through etcd's gRPC API (jetcd), the reference figure beside kube4j's
// create throughput on the same etcd: N puts of a value the size of ApiLoad's pods, at a given
// concurrency, each waited for. Run with the launcher's class path (it has jetcd):
//   java -cp 'distribution/target/lib/*' bench/EtcdPut.java http://127.0.0.1:2379 10000 32 1633
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class EtcdPut {
    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        int n = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        byte[] value = new byte[Integer.parseInt(args[3])];
        Arrays.fill(value, (byte) 'x');
        ByteSequence v = ByteSequence.from(value);
        try (Client client = Client.builder().endpoints(endpoint).build()) {
            KV kv = client.getKVClient();
            for (int i = 0; i < 500; i++) { // warm-up, not measured
                kv.put(ByteSequence.from("/bench/warm/" + i, StandardCharsets.UTF_8), v).get(10, TimeUnit.SECONDS);
            }
            long[] latencies = new long[n];
            Semaphore inFlight = new Semaphore(concurrency);
            AtomicInteger errors = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("etcd stopped answering");
                }
                int at = i;
                long t0 = System.nanoTime();
                kv.put(ByteSequence.from("/bench/put/" + i, StandardCharsets.UTF_8), v).whenComplete((r, e) -> {
                    latencies[at] = System.nanoTime() - t0;
                    if (e != null) {
                        errors.incrementAndGet();
                    }
                    inFlight.release();
                });
            }
            if (!inFlight.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("puts still in flight after 60 s");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("op=etcd_put n=%d concurrency=%d value_bytes=%d errors=%d elapsed_s=%.2f throughput=%.1f p50_ms=%.2f p99_ms=%.2f%n",
                    n, concurrency, value.length, errors.get(), seconds, n / seconds, latencies[n / 2] / 1e6,
                    latencies[(int) (n * 0.99)] / 1e6);
        }
    }
}
