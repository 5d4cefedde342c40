package io.kube4j.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.TestPluginContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link TestSqliteDurability}: creates keys from many threads as fast as it
 * can and prints {@code <key> <revision> ok} for each write once it is acknowledged, until killed.
 */
public final class SqliteDurabilityWriter {
    private SqliteDurabilityWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, true, UTF_8);
        Store store = new SqliteStorageBackend().open(new SqliteConfig("state.db", "0", null), new TestPluginContext(dataDir));
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            writers.add(Thread.ofVirtual().start(() -> {
                for (long i = 0; ; i++) {
                    String key = "/d/" + writer + "/" + i;
                    WriteResult result = store.create(key, key.getBytes(UTF_8));
                    long revision = ((WriteResult.Written) result).kv().modRevision();
                    // One println is one write to the pipe, so the parent sees a whole line or none.
                    out.println(key + " " + revision + " ok");
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
    }
}
