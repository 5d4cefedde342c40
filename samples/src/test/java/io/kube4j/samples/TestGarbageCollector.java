package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The garbage collector against a real API server, on ConfigMaps owning ConfigMaps. */
class TestGarbageCollector {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "gc";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNamespaceController.startWithControllers("kube4j-gc");
        client = Clients.admin(cluster);
        client.create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build());
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

    private static ConfigMap owner(String name) {
        return client.create(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().build());
    }

    private static OwnerReference ref(ConfigMap owner, boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(block).build();
    }

    private static ConfigMap dependent(String name, List<String> finalizers, OwnerReference... owners) {
        return client.create(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .withOwnerReferences(owners).withFinalizers(finalizers).endMetadata().build());
    }

    private static Optional<ConfigMap> get(String name) {
        return client.get(ConfigMap.class, NS, name);
    }

    private static void delete(String name, String policy) {
        client.delete(ConfigMap.class, NS, name, new DeleteOptions(OptionalLong.empty(), policy, ""));
    }

    @Test
    void backgroundDeletesTheOwnerNowAndTheDependentsAfter() throws Exception {
        ConfigMap owner = owner("bg");
        dependent("bg-1", List.of(), ref(owner, false));
        dependent("bg-2", List.of(), ref(owner, true));
        delete("bg", "Background");
        assertThat(get("bg")).isEmpty();
        Clients.await("dependents collected", WAIT, () -> get("bg-1").isEmpty() && get("bg-2").isEmpty());
    }

    @Test
    void foregroundKeepsTheOwnerUntilItsBlockingDependentsAreGone() throws Exception {
        ConfigMap owner = owner("fg");
        dependent("fg-held", List.of("example.com/hold"), ref(owner, true));
        dependent("fg-free", List.of(), ref(owner, true));
        delete("fg", "Foreground");
        Clients.await("the free dependent deleted", WAIT, () -> get("fg-free").isEmpty());
        Clients.await("the held one being deleted", WAIT,
                () -> get("fg-held").map(c -> c.getMetadata().getDeletionTimestamp() != null).orElse(false));
        ConfigMap waiting = get("fg").orElseThrow();
        assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(waiting.getMetadata().getFinalizers()).contains("foregroundDeletion");
        ConfigMap held = get("fg-held").orElseThrow();
        held.getMetadata().setFinalizers(List.of());
        client.update(held);
        Clients.await("the owner gone after its dependents", WAIT, () -> get("fg").isEmpty());
    }

    @Test
    void orphanRemovesTheOwnerReferencesAndKeepsTheDependents() throws Exception {
        ConfigMap owner = owner("or");
        ConfigMap other = owner("or-other");
        dependent("or-1", List.of(), ref(owner, true));
        dependent("or-2", List.of(), ref(owner, false), ref(other, false));
        delete("or", "Orphan");
        Clients.await("the owner gone", WAIT, () -> get("or").isEmpty());
        assertThat(get("or-1").orElseThrow().getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(get("or-2").orElseThrow().getMetadata().getOwnerReferences()).extracting(OwnerReference::getName)
                .containsExactly("or-other");
    }

    @Test
    void aDependentOfANonexistentOwnerIsCollectedAndOneWithAnotherOwnerLetsGo() throws Exception {
        OwnerReference ghost = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("ghost")
                .withUid("00000000-0000-0000-0000-000000000001").build();
        dependent("haunted", List.of(), ghost);
        ConfigMap owner = owner("real");
        dependent("two-owners", List.of(), ghost, ref(owner, false));
        Clients.await("the orphan collected", WAIT, () -> get("haunted").isEmpty());
        Clients.await("the dangling reference dropped", WAIT, () -> get("two-owners").map(c ->
                c.getMetadata().getOwnerReferences().size() == 1).orElse(false));
        assertThat(get("real")).isPresent();
    }
}
