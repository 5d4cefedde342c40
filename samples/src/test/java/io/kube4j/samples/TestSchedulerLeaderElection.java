package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.SchedulerProfile;
import io.kube4j.runtime.scheduler.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two schedulers on one cluster: only the holder of kube-system/kube-scheduler schedules; the standby takes over. */
class TestSchedulerLeaderElection {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Scheduler scheduler(Cluster cluster, Path dataDir) {
        PluginRegistry plugins = PluginRegistry.discover(Optional.empty());
        PluginContext context = new PluginContext() {
            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return Scheduler.start(new SchedulerProfile(null, null, null, null, null), plugins,
                new PluginBinder(plugins, "test"), Clients.admin(cluster), context);
    }

    private static void pod(ApiClient client, String name) {
        client.create(new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build());
    }

    private static boolean bound(ApiClient client, String name) {
        return client.get(Pod.class, "default", name).map(p -> p.getSpec().getNodeName() != null).orElse(false);
    }

    @Test
    void onlyTheLeaderSchedulesAndAStandbyTakesOverWhenItStops() throws Exception {
        Path dir = Files.createTempDirectory("kube4j-sched-election");
        try (Cluster cluster = Profiles.start("memory.yaml", dir); ApiClient client = Clients.admin(cluster)) {
            client.create(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                    .withAllocatable(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("10")))
                    .endStatus().build());
            Scheduler first = scheduler(cluster, dir);
            Scheduler second;
            try {
                Clients.await("the first scheduler leads", WAIT, first::isLeading);
                second = scheduler(cluster, dir);
                pod(client, "a");
                Clients.await("a bound by the leader", WAIT, () -> bound(client, "a"));
                assertThat(second.isLeading()).isFalse();
            } finally {
                first.close();
            }
            try (second) {
                Clients.await("the standby takes over", WAIT, second::isLeading);
                pod(client, "b");
                Clients.await("b bound by the new leader", WAIT, () -> bound(client, "b"));
                assertThat(client.get(Lease.class, "kube-system", "kube-scheduler").orElseThrow().getSpec()
                        .getLeaseTransitions()).isEqualTo(1);
            }
        }
    }
}
