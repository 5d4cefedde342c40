package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.leaderelection.LeaderElector;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller-manager with the namespace and service account controllers against a real API server. */
class TestNamespaceController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static ApiClient client;

    /** The memory profile with a controller-manager section: what a profile's {@code controllerManager: {}} gives. */
    static Cluster startWithControllers(String tempPrefix) throws Exception {
        Path file = Profiles.DIR.resolve("memory.yaml");
        var profile = ProfileLoader.load(file).withDataDir(Files.createTempDirectory(tempPrefix).toString())
                .withAddress("127.0.0.1:0")
                .withControllerManager(Optional.of(new ControllerManagerProfile(List.of("*"), null, null)));
        return Cluster.start(profile, file.toString(), Optional.empty());
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = startWithControllers("kube4j-namespace");
        client = Clients.admin(cluster);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void namespace(String name) {
        client.create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    }

    @Test
    void leadsWithALeaseAndTheLegacyAnnotationAndIsHealthy() throws Exception {
        Clients.await("the lease", WAIT, () -> client.get(Lease.class, "kube-system", "kube-controller-manager")
                .map(l -> l.getSpec().getHolderIdentity() != null && !l.getSpec().getHolderIdentity().isEmpty()).orElse(false));
        Clients.await("the Endpoints annotation", WAIT, () -> client.get(Endpoints.class, "kube-system", "kube-controller-manager")
                .map(e -> e.getMetadata().getAnnotations() != null
                        && e.getMetadata().getAnnotations().containsKey(LeaderElector.ANNOTATION)).orElse(false));
        Api api = new Api(cluster);
        Clients.await("componentstatuses controller-manager Healthy", WAIT, () -> {
            Api.Response r = api.send("GET", "/api/v1/componentstatuses/controller-manager", null, null);
            return r.code() == 200 && r.body().path("conditions").path(0).path("status").asText().equals("True");
        });
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountAgainAfterItIsDeleted() throws Exception {
        namespace("sa-test");
        Clients.await("default in sa-test", WAIT, () -> client.get(ServiceAccount.class, "sa-test", "default").isPresent());
        Clients.await("default in kube-system", WAIT, () -> client.get(ServiceAccount.class, "kube-system", "default").isPresent());
        client.delete(ServiceAccount.class, "sa-test", "default", DeleteOptions.DEFAULT);
        Clients.await("default recreated", WAIT, () -> client.get(ServiceAccount.class, "sa-test", "default").isPresent());
    }

    @Test
    void deletingANamespaceDeletesItsContentThenTheNamespace() throws Exception {
        namespace("doomed");
        client.create(new ConfigMapBuilder().withNewMetadata().withNamespace("doomed").withName("c").endMetadata()
                .addToData("k", "v").build());
        client.create(new SecretBuilder().withNewMetadata().withNamespace("doomed").withName("s").endMetadata().build());
        client.create(new PodBuilder().withNewMetadata().withNamespace("doomed").withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build());
        client.create(new ReplicaSetBuilder().withNewMetadata().withNamespace("doomed").withName("rs").endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "x").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "x").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build());
        assertThat(client.get(Namespace.class, "", "doomed").orElseThrow().getSpec().getFinalizers()).containsExactly("kubernetes");

        client.delete(Namespace.class, "", "doomed", DeleteOptions.DEFAULT);
        Clients.await("doomed gone", WAIT, () -> client.get(Namespace.class, "", "doomed").isEmpty());
        assertThat(client.get(ConfigMap.class, "doomed", "c")).isEmpty();
        assertThat(client.get(Secret.class, "doomed", "s")).isEmpty();
        assertThat(client.get(ReplicaSet.class, "doomed", "rs")).isEmpty();
    }

    @Test
    void aNamespaceWaitsForContentWithFinalizersAndSaysSo() throws Exception {
        namespace("held");
        client.create(new ConfigMapBuilder().withNewMetadata().withNamespace("held").withName("kept")
                .addToFinalizers("example.com/hold").endMetadata().build());
        client.delete(Namespace.class, "", "held", DeleteOptions.DEFAULT);
        Clients.await("conditions reporting what remains", WAIT, () -> {
            Namespace ns = client.get(Namespace.class, "", "held").orElseThrow();
            return ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())
                    && condition(ns, "NamespaceContentRemaining").map(c -> c.getStatus().equals("True")
                    && c.getMessage().contains("configmaps has 1 resource instances")).orElse(false)
                    && condition(ns, "NamespaceFinalizersRemaining").map(c -> c.getStatus().equals("True")
                    && c.getMessage().contains("example.com/hold in 1 resource instances")).orElse(false);
        });
        ConfigMap kept = client.get(ConfigMap.class, "held", "kept").orElseThrow();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNotNull();
        kept.getMetadata().setFinalizers(List.of());
        client.update(kept);
        Clients.await("held gone once its content is", WAIT, () -> client.get(Namespace.class, "", "held").isEmpty());
    }

    private static Optional<NamespaceCondition> condition(Namespace ns, String type) {
        return ns.getStatus().getConditions() == null ? Optional.empty()
                : ns.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }
}
