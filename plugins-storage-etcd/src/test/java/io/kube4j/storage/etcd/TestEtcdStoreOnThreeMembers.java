package io.kube4j.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreException;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.StoreConformanceTest;
import io.kube4j.storage.conformance.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Store conformance suite against a real three-member etcd cluster, the store talking to all
 * three members; plus losing one member (writes go on) and two (writes fail with an error, and
 * every acknowledged write is there once the members are back).
 */
class TestEtcdStoreOnThreeMembers extends StoreConformanceTest {
    private EtcdCluster etcd;

    @BeforeAll
    static void etcdInstalled() {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
    }

    @Override
    protected Store open(Path dataDir) {
        try {
            if (etcd == null) {
                etcd = EtcdCluster.start(dataDir.resolve("etcd"), 3);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new EtcdStorageBackend().open(new EtcdConfig(etcd.endpoints(), "", "0", "3s"), new TestPluginContext(dataDir));
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @AfterEach
    void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void writesGoOnWithoutOneMemberAndFailCleanlyWithoutTwo() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acknowledge(acknowledged, "/k/before-" + i);
        }

        etcd.kill(0);
        int written = 0;
        for (int i = 0; i < 40 && written < 10; i++) {
            written += tryWrite(acknowledged, "/k/one-down-" + i) ? 1 : 0;
        }
        assertThat(written).as("writes go on with 2 of 3 members").isEqualTo(10);

        etcd.kill(1);
        StoreException refused = null;
        try {
            store.create("/k/no-quorum", bytes("x"));
        } catch (StoreException e) {
            refused = e;
        }
        assertThat(refused).as("a write without quorum fails with an error").isNotNull();

        etcd.restart(0);
        etcd.restart(1);
        for (String key : acknowledged) {
            KeyValue kv = awaitGet(key);
            assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo(key);
        }
    }

    private void acknowledge(List<String> acknowledged, String key) {
        assertThat(store.create(key, bytes(key))).isInstanceOf(WriteResult.Written.class);
        acknowledged.add(key);
    }

    /** One create; false when etcd did not take it (a member just died under the request). */
    private boolean tryWrite(List<String> acknowledged, String key) {
        try {
            if (store.create(key, bytes(key)) instanceof WriteResult.Written) {
                acknowledged.add(key);
                return true;
            }
        } catch (StoreException e) {
            // the request went to the killed member or raced the election: the next one goes elsewhere
        }
        return false;
    }

    /** Reads a key, retrying while the restarted members regain quorum (bounded). */
    private KeyValue awaitGet(String key) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return store.get(key).orElseThrow(() -> new AssertionError("acknowledged write lost: " + key));
            } catch (StoreException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // etcd offers no event for "quorum is back"; poll, bounded by WAIT
            }
        }
    }
}
