package io.kube4j.admission.namespacelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.AdmissionResponse.Denied;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestNamespaceLifecyclePlugin {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ResourceType NAMESPACES =
            ResourceType.builder("", "v1", "Namespace", "namespaces", Namespace.class).clusterScoped().build();
    private static final ResourceType PODS = ResourceType.builder("", "v1", "Pod", "pods", Pod.class).build();
    private static final ResourceType NODES =
            ResourceType.builder("", "v1", "Node", "nodes", Node.class).clusterScoped().build();
    private static final ResourceType EVENTS =
            ResourceType.builder("events.k8s.io", "v1", "Event", "events", Event.class).build();
    private static final ResourceType LOCAL_ACCESS_REVIEWS = ResourceType.builder("authorization.k8s.io", "v1",
            "LocalSubjectAccessReview", "localsubjectaccessreviews", LocalSubjectAccessReview.class).virtual().build();

    private final FakeClusterView cluster = new FakeClusterView();
    private final ValidatingAdmissionPlugin plugin = create();

    @Test
    void smokeFindsThePluginByNameAndHandlesWritesOnly() {
        assertThat(plugin.handles(Operation.CREATE)).isTrue();
        assertThat(plugin.handles(Operation.UPDATE)).isTrue();
        assertThat(plugin.handles(Operation.DELETE)).isTrue();
        assertThat(plugin.handles(Operation.CONNECT)).isFalse();
    }

    @Test
    void rejectsAnyConfigKey() {
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("x", 1), factory().configType()))
                .hasCauseInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void createInActiveNamespaceIsAllowed() {
        cluster.addNamespace("apps", "Active", false);

        assertThat(plugin.validate(request(Operation.CREATE, PODS, "apps", "web"))).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void createInMissingNamespaceIsNotFound() {
        assertThat(plugin.validate(request(Operation.CREATE, PODS, "ghost", "web")))
                .isEqualTo(new Denied(404, "NotFound", "namespaces \"ghost\" not found"));
    }

    @Test
    void updateInMissingNamespaceIsNotFoundToo() {
        assertThat(plugin.validate(request(Operation.UPDATE, PODS, "ghost", "web")))
                .isEqualTo(new Denied(404, "NotFound", "namespaces \"ghost\" not found"));
    }

    @Test
    void mutatingPhaseGivesTheSameAnswersWithoutChangingTheObject() {
        cluster.addNamespace("apps", "Active", false);

        MutatingAdmissionPlugin mutating = (MutatingAdmissionPlugin) plugin;
        assertThat(mutating.admit(request(Operation.CREATE, PODS, "apps", "web"))).isEqualTo(AdmissionResponse.allow());
        assertThat(mutating.admit(request(Operation.CREATE, PODS, "ghost", "web")))
                .isEqualTo(new Denied(404, "NotFound", "namespaces \"ghost\" not found"));
    }

    @Test
    void createInTerminatingNamespaceIsForbidden() {
        cluster.addNamespace("old", "Terminating", true);

        assertThat(plugin.validate(request(Operation.CREATE, PODS, "old", "web"))).isEqualTo(new Denied(403, "Forbidden",
                "pods \"web\" is forbidden: unable to create new content in namespace old because it is being terminated"));
    }

    @Test
    void deletionTimestampAloneMeansTerminating() {
        cluster.addNamespace("old", "Active", true);

        assertThat(plugin.validate(request(Operation.CREATE, EVENTS, "old", "e1"))).isEqualTo(new Denied(403, "Forbidden",
                "events.events.k8s.io \"e1\" is forbidden: unable to create new content in namespace old because it is being terminated"));
    }

    @Test
    void terminatingMessageUsesGenerateNameWhenThereIsNoName() {
        cluster.addNamespace("old", "Terminating", true);
        ObjectNode pod = MAPPER.createObjectNode();
        pod.putObject("metadata").put("generateName", "web-");

        AdmissionResponse response = plugin.validate(new AdmissionRequest(Operation.CREATE, PODS, "", "old", "",
                Optional.of(pod), Optional.empty(), UserInfo.of("alice", List.of()), false));

        assertThat(response).isEqualTo(new Denied(403, "Forbidden",
                "pods \"web-\" is forbidden: unable to create new content in namespace old because it is being terminated"));
    }

    @Test
    void updatesAndDeletesInTerminatingNamespaceAreAllowed() {
        cluster.addNamespace("old", "Terminating", true);

        assertThat(plugin.validate(request(Operation.UPDATE, PODS, "old", "web"))).isEqualTo(AdmissionResponse.allow());
        assertThat(plugin.validate(request(Operation.DELETE, PODS, "old", "web"))).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void deleteInMissingNamespaceIsAllowed() {
        assertThat(plugin.validate(request(Operation.DELETE, PODS, "ghost", "web"))).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void systemNamespacesCannotBeDeleted() {
        for (String name : List.of("default", "kube-system", "kube-public")) {
            cluster.addNamespace(name, "Active", false);

            assertThat(plugin.validate(request(Operation.DELETE, NAMESPACES, "", name))).isEqualTo(new Denied(403,
                    "Forbidden", "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted"));
        }
    }

    @Test
    void otherNamespacesMayBeDeletedAndNamespaceWritesAreNotChecked() {
        cluster.addNamespace("apps", "Active", false);
        cluster.addNamespace("old", "Terminating", true);

        assertThat(plugin.validate(request(Operation.DELETE, NAMESPACES, "", "apps"))).isEqualTo(AdmissionResponse.allow());
        assertThat(plugin.validate(request(Operation.CREATE, NAMESPACES, "", "new"))).isEqualTo(AdmissionResponse.allow());
        assertThat(plugin.validate(request(Operation.UPDATE, NAMESPACES, "", "old"))).isEqualTo(AdmissionResponse.allow());
        assertThat(plugin.validate(request(Operation.UPDATE, NAMESPACES, "", "default"))).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void clusterScopedResourcesAreNotChecked() {
        assertThat(plugin.validate(request(Operation.CREATE, NODES, "", "node-1"))).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void localAccessReviewsDoNotRevealWhetherANamespaceExists() {
        assertThat(plugin.validate(request(Operation.CREATE, LOCAL_ACCESS_REVIEWS, "ghost", "")))
                .isEqualTo(AdmissionResponse.allow());
    }

    private static AdmissionRequest request(Operation operation, ResourceType resource, String namespace, String name) {
        ObjectNode object = MAPPER.createObjectNode();
        object.putObject("metadata").put("name", name);
        Optional<ObjectNode> body = operation == Operation.DELETE ? Optional.empty() : Optional.of(object);
        Optional<ObjectNode> old = operation == Operation.CREATE ? Optional.empty() : Optional.of(object);
        return new AdmissionRequest(operation, resource, "", namespace, name, body, old,
                UserInfo.of("alice", List.of(UserInfo.GROUP_AUTHENTICATED)), false);
    }

    @SuppressWarnings("unchecked")
    private static AdmissionPluginFactory<Object> factory() {
        return ServiceLoader.load(AdmissionPluginFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(NamespaceLifecycleFactory.NAME))
                .findFirst()
                .orElseThrow();
    }

    private ValidatingAdmissionPlugin create() {
        AdmissionPluginFactory<Object> factory = factory();
        Object config = MAPPER.convertValue(Map.of(), factory.configType());
        return (ValidatingAdmissionPlugin) factory.create(config, new Context(Path.of("/nonexistent"), Clock.systemUTC(), cluster));
    }

    private record Context(Path dataDir, Clock clock, ClusterView cluster) implements AdmissionContext {
    }

    private static final class FakeClusterView implements ClusterView {
        private final Map<String, ObjectNode> namespaces = new HashMap<>();

        void addNamespace(String name, String phase, boolean deleting) {
            ObjectNode namespace = MAPPER.createObjectNode();
            namespace.put("apiVersion", "v1").put("kind", "Namespace");
            ObjectNode metadata = namespace.putObject("metadata").put("name", name);
            if (deleting) {
                metadata.put("deletionTimestamp", "2026-01-01T00:00:00Z");
            }
            namespace.putObject("status").put("phase", phase);
            namespaces.put(name, namespace);
        }

        @Override
        public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
            if (group.isEmpty() && resource.equals("namespaces") && namespace.isEmpty()) {
                return Optional.ofNullable(namespaces.get(name));
            }
            return Optional.empty();
        }

        @Override
        public List<ObjectNode> list(String group, String resource, String namespace) {
            return group.isEmpty() && resource.equals("namespaces") ? List.copyOf(namespaces.values()) : List.of();
        }
    }
}
