package io.kube4j.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.StoreConformanceTest;
import io.kube4j.storage.conformance.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Store conformance suite against a real etcd member started per test (its data in the
 * test's directory, so that reopening the store finds the same data), plus etcd specifics.
 */
class TestEtcdStore extends StoreConformanceTest {
    private EtcdProcess etcd;

    @BeforeAll
    static void etcdInstalled() {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
    }

    @Override
    protected Store open(Path dataDir) {
        try {
            if (etcd == null) {
                etcd = EtcdProcess.start(dataDir.resolve("etcd"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new EtcdStorageBackend().open(new EtcdConfig(List.of(etcd.endpoint()), "", "0", null),
                new TestPluginContext(dataDir));
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
    void twoStoresWithOtherPrefixesShareOneEtcdWithoutSeeingEachOther() {
        try (Store a = new EtcdStorageBackend().open(new EtcdConfig(List.of(etcd.endpoint()), "/cluster-a", "0", null),
                new TestPluginContext(dataDir));
             Store b = new EtcdStorageBackend().open(new EtcdConfig(List.of(etcd.endpoint()), "/cluster-b", "0", null),
                     new TestPluginContext(dataDir))) {
            a.create("/registry/pods/d/p", "a".getBytes(StandardCharsets.UTF_8));
            b.create("/registry/pods/d/p", "b".getBytes(StandardCharsets.UTF_8));

            List<KeyValue> inA = a.range(RangeRequest.prefix("/registry/")).kvs();
            assertThat(inA).extracting(KeyValue::key).containsExactly("/registry/pods/d/p");
            assertThat(new String(inA.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("a");
            assertThat(store.get("/cluster-b/registry/pods/d/p")).as("the unprefixed store sees raw keys").isPresent();
            assertThat(b.delete("/registry/pods/d/p", 0)).isInstanceOf(WriteResult.Written.class);
            assertThat(a.get("/registry/pods/d/p")).isPresent();
        }
    }

    @Test
    void configErrorsNameTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EtcdConfig(List.of("127.0.0.1:2379"), null, null, null))
                .hasMessageContaining("http://127.0.0.1:2379");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EtcdConfig(null, null, "5 minutes", null))
                .hasMessageContaining("compactEvery");
        assertThat(EtcdConfig.duration("x", "1m30s").toSeconds()).isEqualTo(90);
        assertThat(new EtcdConfig(null, null, null, null).endpoints()).isEqualTo(List.of("http://127.0.0.1:2379"));
    }
}
