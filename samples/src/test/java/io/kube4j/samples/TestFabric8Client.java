package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fabric8 kubernetes-client against the default single-node profile, built from the cluster's kubeconfig. */
class TestFabric8Client {
    private static final long WAIT_SECONDS = 30;

    private static Cluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("kube4j-fabric8");
        cluster = Profiles.start("single-node.yaml", dataDir);
        client = connect(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())));
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

    @Test
    void configMapCrud() {
        String ns = namespace("f8-cm");
        ConfigMap created = client.configMaps().inNamespace(ns)
                .resource(configMap("settings", Map.of("color", "blue"))).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap read = client.configMaps().inNamespace(ns).withName("settings").get();
        assertThat(read.getData()).containsEntry("color", "blue");

        ConfigMap edited = client.configMaps().inNamespace(ns).withName("settings")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("size", "xl").build());
        assertThat(edited.getData()).containsEntry("size", "xl");
        assertThat(edited.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());

        edited.getData().put("color", "red");
        ConfigMap updated = client.configMaps().inNamespace(ns).resource(edited).update();
        assertThat(updated.getData()).containsEntry("color", "red").containsEntry("size", "xl");

        assertThat(client.configMaps().inNamespace(ns).list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).contains("settings");
        assertThat(client.configMaps().inNamespace(ns).withName("settings").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace(ns).withName("settings").get()).isNull();
    }

    @Test
    void deploymentCrudAndScale() {
        String ns = namespace("f8-deploy");
        Deployment created = client.apps().deployments().inNamespace(ns).resource(deployment("web", 1)).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");

        Deployment edited = client.apps().deployments().inNamespace(ns).withName("web")
                .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                        .withImage("nginx:1.26").endContainer().endSpec().endTemplate().endSpec().build());
        assertThat(edited.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26");
        assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

        client.apps().deployments().inNamespace(ns).withName("web").scale(4);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(4);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").scale().getSpec().getReplicas()).isEqualTo(4);

        assertThat(client.apps().deployments().inNamespace(ns).withName("web").delete()).hasSize(1);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNull();
    }

    /** fabric8 watches over WebSocket by default and over chunked HTTP with onlyHttpWatches; the server must serve both. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void informerSeesAddUpdateDelete(boolean onlyHttpWatches) throws Exception {
        String ns = namespace("f8-informer-" + (onlyHttpWatches ? "http" : "ws"));
        client.configMaps().inNamespace(ns).resource(configMap("before", Map.of("k", "v"))).create();
        Config watchConfig = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        watchConfig.setOnlyHttpWatches(onlyHttpWatches);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (KubernetesClient watching = connect(watchConfig);
                SharedIndexInformer<ConfigMap> informer = watching.configMaps().inNamespace(ns).inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(ConfigMap cm) {
                                events.add("add " + cm.getMetadata().getName());
                            }

                            @Override
                            public void onUpdate(ConfigMap old, ConfigMap cm) {
                                events.add("update " + cm.getMetadata().getName() + " " + cm.getData().get("k"));
                            }

                            @Override
                            public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                                events.add("delete " + cm.getMetadata().getName());
                            }
                        })) {
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("add before");
            assertThat(informer.hasSynced()).isTrue();

            client.configMaps().inNamespace(ns).resource(configMap("live", Map.of("k", "1"))).create();
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("add live");
            client.configMaps().inNamespace(ns).withName("live")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("update live 2");
            client.configMaps().inNamespace(ns).withName("live").delete();
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("delete live");
            assertThat(informer.getIndexer().list()).extracting(cm -> cm.getMetadata().getName()).containsExactly("before");
        }
    }

    @Test
    void staleResourceVersionIsAConflict() {
        String ns = namespace("f8-conflict");
        ConfigMap stale = client.configMaps().inNamespace(ns).resource(configMap("locked", Map.of("k", "1"))).create();
        client.configMaps().inNamespace(ns).withName("locked").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());

        stale.getData().put("k", "3");
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(stale).lockResourceVersion().update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).contains("the object has been modified");
                });
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).withName("locked")
                .lockResourceVersion(stale.getMetadata().getResourceVersion()).delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.configMaps().inNamespace(ns).withName("locked").get().getData()).containsEntry("k", "2");
    }

    @Test
    void serverSideApplyConflictsAndForce() {
        String ns = namespace("f8-ssa");
        ConfigMap applied = client.configMaps().inNamespace(ns)
                .resource(configMap("shared", Map.of("owner", "alice", "alice-only", "x")))
                .fieldManager("alice").serverSideApply();
        assertThat(applied.getData()).containsEntry("owner", "alice");
        assertThat(applied.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager,
                ManagedFieldsEntry::getOperation).contains(tuple("alice", "Apply"));

        ConfigMap bobs = configMap("shared", Map.of("owner", "bob"));
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(bobs).fieldManager("bob").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("alice").contains(".data.owner");
                });

        ConfigMap forced = client.configMaps().inNamespace(ns).resource(bobs).fieldManager("bob").forceConflicts()
                .serverSideApply();
        assertThat(forced.getData()).containsEntry("owner", "bob").containsEntry("alice-only", "x");
        ManagedFieldsEntry alice = forced.getMetadata().getManagedFields().stream()
                .filter(m -> m.getManager().equals("alice")).findFirst().orElseThrow();
        assertThat(alice.getFieldsV1().getAdditionalProperties().toString()).contains("alice-only").doesNotContain("f:owner");
    }

    @Test
    void listWithLimitAndContinue() {
        String ns = namespace("f8-pages");
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace(ns).resource(configMap("page-" + i, Map.of("i", "" + i))).create();
        }
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        do {
            ConfigMapList page = client.configMaps().inNamespace(ns)
                    .list(new ListOptionsBuilder().withLimit(2L).withContinue(token).build());
            pages.add(page.getItems().stream().map(cm -> cm.getMetadata().getName()).toList());
            token = page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        assertThat(pages).containsExactly(List.of("page-0", "page-1"), List.of("page-2", "page-3"), List.of("page-4"));
    }

    @Test
    void watchResumesFromResourceVersion() throws Exception {
        String ns = namespace("f8-resume");
        String from = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        // The changes happen before the watch starts: resuming from the list's version must replay them in order.
        client.configMaps().inNamespace(ns).resource(configMap("resumed", Map.of("k", "1"))).create();
        client.configMaps().inNamespace(ns).withName("resumed").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());
        client.configMaps().inNamespace(ns).withName("resumed").delete();

        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch ignored = client.configMaps().inNamespace(ns)
                .watch(new ListOptionsBuilder().withResourceVersion(from).build(), new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap cm) {
                        events.add(action + " " + cm.getMetadata().getName() + " " + cm.getData().get("k"));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        events.add("closed " + cause.getMessage());
                    }
                })) {
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ADDED resumed 1");
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("MODIFIED resumed 2");
            assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("DELETED resumed 2");
        }
    }


    /** Both the JDK and the Vert.x HTTP clients are on the classpath; pin one so every run tests the same transport. */
    private static KubernetesClient connect(Config config) {
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("nginx:1.25").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
