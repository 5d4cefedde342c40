package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.controllermanager.ControllerManager;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two controller-managers on one cluster: only the holder of kube-system/kube-controller-manager runs controllers. */
class TestControllerManagerLeaderElection {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final PluginRegistry PLUGINS = PluginRegistry.discover(Optional.empty());

    private static ControllerManager controllerManager(Cluster cluster, Path dataDir, List<String> controllers) {
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
        return ControllerManager.start(new ControllerManagerProfile(controllers, 2, null), new PluginBinder(PLUGINS, "test"),
                Clients.admin(cluster), context);
    }

    private static boolean hasDefaultAccount(ApiClient client, String namespace) {
        return client.get(ServiceAccount.class, namespace, "default").isPresent();
    }

    @Test
    void onlyTheLeaderRunsControllersAndAStandbyTakesOverWhenItStops() throws Exception {
        Path dir = Files.createTempDirectory("kube4j-cm-election");
        try (Cluster cluster = Profiles.start("memory.yaml", dir); ApiClient client = Clients.admin(cluster)) {
            ControllerManager first = controllerManager(cluster, dir, List.of("serviceaccount"));
            ControllerManager second;
            try {
                assertThat(first.controllers()).containsExactly("serviceaccount");
                Clients.await("the first leads", WAIT, first::isLeading);
                second = controllerManager(cluster, dir, List.of("serviceaccount"));
                client.create(new NamespaceBuilder().withNewMetadata().withName("one").endMetadata().build());
                Clients.await("default in one", WAIT, () -> hasDefaultAccount(client, "one"));
                assertThat(second.isLeading()).isFalse();
            } finally {
                first.close();
            }
            try (second) {
                Clients.await("the standby takes over", WAIT, second::isLeading);
                client.create(new NamespaceBuilder().withNewMetadata().withName("two").endMetadata().build());
                Clients.await("default in two", WAIT, () -> hasDefaultAccount(client, "two"));
                assertThat(client.get(Lease.class, "kube-system", "kube-controller-manager").orElseThrow().getSpec()
                        .getLeaseTransitions()).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnknownControllerNameIsAProfileErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> ControllerManager.check(new ControllerManagerProfile(List.of("*", "-replicaset", "nope"), null, null),
                new PluginBinder(PLUGINS, "p.yaml")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("p.yaml: controllerManager.controllers: unknown controller 'nope'")
                .hasMessageContaining("; available: cronjob, daemonset, deployment, ")
                .hasMessageContainingAll(" replicaset, replicationcontroller, ", " serviceaccount, statefulset, ",
                        " ttl-after-finished", " nodelifecycle, ", " nodeipam, ", " podgc, ");
    }
}
