package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What kube4j's own ApiClient does against a real cluster, whichever transport carries it: the
 * subclasses run every test here over HTTPS ({@link TestHttpApiClient}) and in-process
 * ({@link TestInProcessApiClient}), the two ways components reach the API server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiClientContract {
    Cluster cluster;
    ApiClient client;

    /** A client of {@code cluster} with its admin token, over the transport under test. */
    abstract ApiClient connect(Cluster cluster);

    @BeforeAll
    void start() throws Exception {
        cluster = Profiles.start("memory.yaml", Files.createTempDirectory("kube4j-apiclient"));
        client = connect(cluster);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("suite", "apiclient").endMetadata().addToData("k", value).build();
    }

    @Test
    void createGetUpdateDelete() {
        ConfigMap created = client.create(configMap("crud", "1"));
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();
        assertThat(client.get(ConfigMap.class, "default", "crud")).map(c -> c.getData().get("k")).contains("1");

        created.getData().put("k", "2");
        ConfigMap updated = client.update(created);
        assertThat(updated.getData()).containsEntry("k", "2");
        assertThatThrownBy(() -> client.update(created)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.isConflict()).isTrue());

        assertThatThrownBy(() -> client.delete(ConfigMap.class, "default", "crud",
                DeleteOptions.DEFAULT.withPreconditionUid("not-" + created.getMetadata().getUid())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
        assertThat(client.delete(ConfigMap.class, "default", "crud",
                DeleteOptions.DEFAULT.withPreconditionUid(created.getMetadata().getUid()))).isTrue();
        assertThat(client.get(ConfigMap.class, "default", "crud")).isEmpty();
        assertThat(client.delete(ConfigMap.class, "default", "crud", DeleteOptions.DEFAULT)).isFalse();
    }

    @Test
    void deleteCollectionDeletesWhatTheSelectorSelects() {
        for (int i = 0; i < 3; i++) {
            client.create(configMap("doomed-" + i, "v").toBuilder().editMetadata().addToLabels("doomed", "yes").endMetadata().build());
        }
        client.create(configMap("spared", "v"));
        client.deleteCollection(ConfigMap.class, ListOptions.inNamespace("default").withLabelSelector("doomed=yes"),
                DeleteOptions.DEFAULT.withPropagationPolicy("Background"));
        assertThat(client.list(ConfigMap.class, ListOptions.inNamespace("default").withLabelSelector("doomed=yes")).items()).isEmpty();
        assertThat(client.get(ConfigMap.class, "default", "spared")).isPresent();
    }

    @Test
    void listPagesWithLimitAndContinue() {
        for (int i = 0; i < 5; i++) {
            client.create(configMap("page-" + i, "v").toBuilder().editMetadata().addToLabels("paged", "yes").endMetadata().build());
        }
        ListOptions opts = ListOptions.inNamespace("default").withLabelSelector("paged=yes").withLimit(2);
        ObjectList<ConfigMap> first = client.list(ConfigMap.class, opts);
        assertThat(first.items()).hasSize(2);
        assertThat(first.continueToken()).isNotEmpty();
        ObjectList<ConfigMap> second = client.list(ConfigMap.class, opts.withContinue(first.continueToken()));
        ObjectList<ConfigMap> third = client.list(ConfigMap.class, opts.withContinue(second.continueToken()));
        assertThat(third.continueToken()).isEmpty();
        assertThat(List.of(first, second, third).stream().flatMap(l -> l.items().stream())
                .map(c -> c.getMetadata().getName()).toList())
                .containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
    }

    @Test
    void watchFromAVersionSeesEveryChangeInOrder() throws Exception {
        ObjectList<ConfigMap> before = client.list(ConfigMap.class, ListOptions.inNamespace("default")
                .withLabelSelector("watched=yes"));
        BlockingQueue<WatchEvent<ConfigMap>> events = new LinkedBlockingQueue<>();
        CompletableFuture<Optional<ApiException>> closed = new CompletableFuture<>();
        try (WatchHandle watch = client.watch(ConfigMap.class, ListOptions.inNamespace("default")
                .withLabelSelector("watched=yes").withResourceVersion(before.resourceVersion()), new WatchListener<>() {
                    @Override
                    public void onEvent(WatchEvent<ConfigMap> event) {
                        events.add(event);
                    }

                    @Override
                    public void onClose(Optional<ApiException> error) {
                        closed.complete(error);
                    }
                })) {
            ConfigMap cm = client.create(configMap("w", "1").toBuilder().editMetadata().addToLabels("watched", "yes")
                    .endMetadata().build());
            client.patch(ConfigMap.class, "default", "w", PatchType.MERGE, "{\"data\":{\"k\":\"2\"}}", "");
            client.delete(ConfigMap.class, "default", "w", DeleteOptions.DEFAULT);
            WatchEvent<ConfigMap> added = events.poll(10, TimeUnit.SECONDS);
            WatchEvent<ConfigMap> modified = events.poll(10, TimeUnit.SECONDS);
            WatchEvent<ConfigMap> deleted = events.poll(10, TimeUnit.SECONDS);
            assertThat(List.of(added.type(), modified.type(), deleted.type()))
                    .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
            assertThat(added.object().getMetadata().getResourceVersion()).isEqualTo(cm.getMetadata().getResourceVersion());
            assertThat(modified.object().getData()).containsEntry("k", "2");
            assertThat(Long.parseLong(deleted.object().getMetadata().getResourceVersion()))
                    .isGreaterThan(Long.parseLong(modified.object().getMetadata().getResourceVersion()));
        }
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void scaleStatusAndBindingSubresources() {
        Deployment d = client.create(new DeploymentBuilder().withNewMetadata().withName("scaled").withNamespace("default")
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "scaled").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "scaled").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
                .build());
        JsonNode scale = client.getSubresource(Deployment.class, "default", "scaled", "scale");
        assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=scaled");
        client.updateSubresource(Deployment.class, "default", "scaled", "scale",
                Map.of("apiVersion", "autoscaling/v1", "kind", "Scale", "metadata", Map.of("name", "scaled"),
                        "spec", Map.of("replicas", 4)));
        assertThat(client.get(Deployment.class, "default", "scaled").orElseThrow().getSpec().getReplicas()).isEqualTo(4);
        // A patch of the scale applies to the object as it is; only a resourceVersion the patch names is a precondition.
        client.patch(Deployment.class, "default", "scaled", PatchType.MERGE, "{\"spec\":{\"replicas\":5}}", "scale");
        assertThat(client.get(Deployment.class, "default", "scaled").orElseThrow().getSpec().getReplicas()).isEqualTo(5);
        assertThatThrownBy(() -> client.patch(Deployment.class, "default", "scaled", PatchType.MERGE,
                "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":6}}", "scale"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        client.updateSubresource(Deployment.class, "default", "scaled", "scale",
                Map.of("apiVersion", "autoscaling/v1", "kind", "Scale", "metadata", Map.of("name", "scaled"),
                        "spec", Map.of("replicas", 4)));

        Deployment withStatus = client.get(Deployment.class, "default", "scaled").orElseThrow();
        withStatus.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(4)
                .withObservedGeneration(d.getMetadata().getGeneration()).build());
        withStatus.getSpec().setReplicas(9);
        Deployment afterStatus = client.updateStatus(withStatus);
        assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(4);
        assertThat(afterStatus.getSpec().getReplicas()).as("a status update leaves spec alone").isEqualTo(4);

        Pod created = client.create(new PodBuilder().withNewMetadata().withName("bind-me").withNamespace("default").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build());
        client.createSubresource(Pod.class, "default", "bind-me", "binding", Map.of("apiVersion", "v1", "kind", "Binding",
                "metadata", Map.of("name", "bind-me"), "target", Map.of("kind", "Node", "name", "node-1")));
        Pod bound = client.get(Pod.class, "default", "bind-me").orElseThrow();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getMetadata().getManagedFields()).as("a binding is not a managed update, as in kube-apiserver")
                .isEqualTo(created.getMetadata().getManagedFields()).isNotEmpty();
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThatThrownBy(() -> client.createSubresource(Pod.class, "default", "bind-me", "binding",
                Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", "bind-me"),
                        "target", Map.of("kind", "Node", "name", "node-2"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
    }

    @Test
    void errorsCarryTheServersStatus() {
        assertThat(client.get(ConfigMap.class, "default", "never-made")).isEmpty();
        client.create(configMap("twice", "1"));
        assertThatThrownBy(() -> client.create(configMap("twice", "2"))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(409);
            assertThat(e.status().getReason()).isEqualTo("AlreadyExists");
        });
        assertThatThrownBy(() -> client.create(configMap("Not_A_Name", "1"))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.status().getReason()).isEqualTo("Invalid");
            assertThat(e.status().getDetails().getCauses()).anySatisfy(c -> assertThat(c.getField()).isEqualTo("metadata.name"));
        });
        assertThatThrownBy(() -> client.create(configMap("nowhere", "1").toBuilder().editMetadata().withNamespace("no-such-ns")
                .endMetadata().build())).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void aWatchFromACompactedVersionEndsWith410Gone() throws Exception {
        try (Cluster small = Clients.smallWatchCache("apiclient-gone-" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
             ApiClient c = connect(small)) {
            String first = c.create(configMap("gone-0", "v")).getMetadata().getResourceVersion();
            for (int i = 1; i <= 150; i++) {
                c.create(configMap("gone-" + i, "v"));
            }
            CompletableFuture<Optional<ApiException>> closed = new CompletableFuture<>();
            try (WatchHandle ignored = c.watch(ConfigMap.class, ListOptions.inNamespace("default").withResourceVersion(first),
                    new WatchListener<>() {
                        @Override
                        public void onEvent(WatchEvent<ConfigMap> event) {
                        }

                        @Override
                        public void onClose(Optional<ApiException> error) {
                            closed.complete(error);
                        }
                    })) {
                Optional<ApiException> error = closed.get(10, TimeUnit.SECONDS);
                assertThat(error).hasValueSatisfying(e -> assertThat(e.isGone()).isTrue());
            }
        }
    }
}
