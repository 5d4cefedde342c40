package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.storage.etcd.EtcdCluster;
import io.kube4j.storage.etcd.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API server process on a three-member etcd, under a writer that records every acknowledged
 * write: one member killed, writes go on; two killed, writes fail with 503 and nothing is
 * acknowledged; members back, writes go on; then every process killed at once (etcd and the API
 * server) and started again, and every acknowledged write is readable with its version.
 */
class TestEtcdFaults {
    @TempDir
    Path dir;

    private final List<Kube4jProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Kube4jProcess::close);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveLosingMembersAndKillingEverything() throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        Path data = dir.resolve("api");
        Map<String, String> acknowledged = new LinkedHashMap<>();
        int port = Kube4jProcess.freePort();
        Path profile = dir.resolve("etcd.yaml");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
            Files.writeString(profile, """
                    apiVersion: kube4j.io/v1alpha1
                    kind: ClusterProfile
                    metadata: {name: faults}
                    apiserver:
                      storage: {plugin: etcd, config: {endpoints: [%s], compactEvery: "0", requestTimeout: 3s}}
                      authentication: [{plugin: token, config: {file: tokens.csv}}]
                      authorization: [{plugin: always-allow}]
                    """.formatted(String.join(", ", etcd.endpoints())));
            Kube4jProcess api = Kube4jProcess.up(profile, data, port);
            children.add(api);
            try (ApiClient client = Kube4jProcess.adminClient(data, Duration.ofSeconds(15), port)) {
                int next = write(client, acknowledged, 0, 20, Duration.ofSeconds(30));

                etcd.kill(0);
                next = write(client, acknowledged, next, 20, Duration.ofSeconds(30));

                etcd.kill(1);
                ApiException refused = null;
                try {
                    client.create(configMap("no-quorum"));
                } catch (ApiException e) {
                    refused = e;
                }
                assertThat(refused).as("a write without etcd quorum fails").isNotNull();
                // 504: etcd did not answer in time, the write may land once the quorum is back; 503: refused outright.
                assertThat(refused.code()).as("%s", refused.getMessage()).isIn(503, 504);

                etcd.restart(0);
                etcd.restart(1);
                next = write(client, acknowledged, next, 20, Duration.ofSeconds(60));

                // Everything at once, as a power cut would.
                api.kill();
                etcd.kill(0);
                etcd.kill(1);
                etcd.kill(2);
            }
            etcd.restart(0);
            etcd.restart(1);
            etcd.restart(2);
            children.add(Kube4jProcess.up(profile, data, port));
            try (ApiClient client = Kube4jProcess.adminClient(data, Duration.ofSeconds(15), port)) {
                for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                    ConfigMap cm = client.get(ConfigMap.class, "default", ack.getKey()).orElseThrow(
                            () -> new AssertionError("acknowledged write lost: " + ack.getKey()));
                    assertThat(Long.parseLong(cm.getMetadata().getResourceVersion()))
                            .isGreaterThanOrEqualTo(Long.parseLong(ack.getValue()));
                }
                // The write that timed out is either absent or whole, never half-written.
                client.get(ConfigMap.class, "default", "no-quorum").ifPresent(cm ->
                        assertThat(cm.getData()).containsExactly(Map.entry("name", "no-quorum")));
                assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(60);
            }
        }
    }

    /** Creates ConfigMaps until {@code count} more are acknowledged; unknown outcomes are skipped, bounded by {@code within}. */
    private static int write(ApiClient client, Map<String, String> acknowledged, int from, int count, Duration within) {
        int i = from;
        int acked = 0;
        long deadline = System.nanoTime() + within.toNanos();
        while (acked < count) {
            assertThat(System.nanoTime()).as("%d of %d writes acknowledged within %s", acked, count, within)
                    .isLessThan(deadline);
            String name = "w-" + i++;
            try {
                acknowledged.put(name, client.create(configMap(name)).getMetadata().getResourceVersion());
                acked++;
            } catch (ApiException e) {
                // a member died under this request (or the cluster is electing): not acknowledged
            }
        }
        return i;
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("name", name).build();
    }
}
