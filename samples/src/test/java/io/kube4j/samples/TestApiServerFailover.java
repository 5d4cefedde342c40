package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.storage.etcd.EtcdCluster;
import io.kube4j.storage.etcd.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two API server processes on one three-member etcd cluster, a client that knows both: the
 * process serving the client is killed with SIGKILL while it writes, the client goes on through
 * the other one, every acknowledged write is there, and a watch from the first version sees each
 * of them once, in order.
 */
class TestApiServerFailover {
    private static final int BEFORE_KILL = 40;
    private static final int AFTER_KILL = 40;

    @TempDir
    Path dir;

    private final List<Kube4jProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Kube4jProcess::close);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writesGoOnThroughTheOtherApiServerAndNothingAcknowledgedIsLost() throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
            Path profile = dir.resolve("ha.yaml");
            Files.writeString(profile, """
                    apiVersion: kube4j.io/v1alpha1
                    kind: ClusterProfile
                    metadata: {name: ha}
                    apiserver:
                      storage: {plugin: etcd, config: {endpoints: [%s], compactEvery: "0"}}
                      authentication: [{plugin: token, config: {file: tokens.csv}}]
                      authorization: [{plugin: always-allow}]
                      admission: [{plugin: NamespaceLifecycle}]
                    """.formatted(String.join(", ", etcd.endpoints())));
            Path data = dir.resolve("api");
            int portA = Kube4jProcess.freePort();
            int portB = Kube4jProcess.freePort();
            Kube4jProcess a = Kube4jProcess.up(profile, data, portA);
            children.add(a);
            children.add(Kube4jProcess.up(profile, data, portB));

            try (ApiClient client = Kube4jProcess.adminClient(data, Duration.ofSeconds(10), portA, portB)) {
                Map<String, String> acknowledged = new LinkedHashMap<>();
                int next = write(client, acknowledged, 0, BEFORE_KILL);
                a.kill();
                write(client, acknowledged, next, AFTER_KILL);
                assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(BEFORE_KILL + AFTER_KILL);

                for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                    ConfigMap cm = client.get(ConfigMap.class, "default", ack.getKey()).orElseThrow(
                            () -> new AssertionError("acknowledged write lost: " + ack.getKey()));
                    assertThat(cm.getMetadata().getResourceVersion()).isEqualTo(ack.getValue());
                }

                String first = acknowledged.values().iterator().next();
                List<String> seen = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> all = new CompletableFuture<>();
                String last = List.copyOf(acknowledged.values()).getLast();
                WatchListener<ConfigMap> listener = new WatchListener<>() {
                    @Override
                    public void onEvent(WatchEvent<ConfigMap> event) {
                        String rv = event.object().getMetadata().getResourceVersion();
                        seen.add(event.type() + "@" + rv);
                        if (rv.equals(last)) {
                            all.complete(null);
                        }
                    }

                    @Override
                    public void onClose(java.util.Optional<ApiException> error) {
                        all.completeExceptionally(new AssertionError("watch ended: " + error));
                    }
                };
                try (WatchHandle ignored = client.watch(ConfigMap.class,
                        ListOptions.inNamespace("default").withResourceVersion(first), listener)) {
                    all.get(30, TimeUnit.SECONDS);
                }
                List<String> expected = acknowledged.values().stream().skip(1).map(rv -> "ADDED@" + rv)
                        .collect(Collectors.toList());
                // Writes whose answer was lost with the killed server may have landed too: they are the
                // only events allowed besides the acknowledged ones.
                assertThat(seen).as("events after %s", first).containsSubsequence(expected);
                assertThat(seen).doesNotHaveDuplicates();
                assertThat(seen.size() - expected.size()).as("unacknowledged writes that landed").isLessThanOrEqualTo(1);
            }
        }
    }

    /** Creates ConfigMaps {@code fo-<i>} until {@code count} more were acknowledged; a lost answer is retried under a new name. */
    private static int write(ApiClient client, Map<String, String> acknowledged, int from, int count) {
        int i = from;
        int acked = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acked < count) {
            if (System.nanoTime() > deadline) {
                fail("only " + acked + " of " + count + " writes acknowledged in 60 s");
            }
            String name = "fo-" + i++;
            try {
                ConfigMap created = client.create(new ConfigMapBuilder().withNewMetadata().withName(name)
                        .withNamespace("default").endMetadata().addToData("i", name).build());
                acknowledged.put(name, created.getMetadata().getResourceVersion());
                acked++;
            } catch (ApiException e) {
                // the server went away under this request: its outcome is unknown, so it is not counted
            }
        }
        return i;
    }

}
