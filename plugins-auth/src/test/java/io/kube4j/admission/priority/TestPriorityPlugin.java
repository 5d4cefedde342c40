package io.kube4j.admission.priority;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.AdmissionResponse.Allowed;
import io.kube4j.api.admission.AdmissionResponse.Denied;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestPriorityPlugin {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceType PODS = ResourceType.builder("", "v1", "Pod", "pods", Pod.class).build();
    private static final ResourceType PRIORITY_CLASSES = ResourceType.builder("scheduling.k8s.io", "v1",
            "PriorityClass", "priorityclasses", PriorityClass.class).clusterScoped().build();

    private final FakeClusterView cluster = new FakeClusterView();
    private final AdmissionPlugin plugin = create();

    @Test
    void smokeFindsThePluginByNameAsMutatingAndValidating() {
        assertThat(plugin).isInstanceOf(MutatingAdmissionPlugin.class).isInstanceOf(ValidatingAdmissionPlugin.class);
        assertThat(plugin.handles(Operation.CREATE)).isTrue();
        assertThat(plugin.handles(Operation.DELETE)).isTrue();
        assertThat(plugin.handles(Operation.CONNECT)).isFalse();
    }

    @Test
    void aNamedClassGivesItsPriorityAndPolicy() {
        cluster.addClass("high", 1000, false, "Never");

        ObjectNode pod = admitted(pod("web", "high", null, null));

        assertThat(pod.at("/spec/priority").asInt()).isEqualTo(1000);
        assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("high");
    }

    @Test
    void withoutAClassTheGlobalDefaultAppliesElseZero() {
        ObjectNode plain = admitted(pod("web", null, null, null));
        assertThat(plain.at("/spec/priority").asInt(-1)).isZero();
        assertThat(plain.at("/spec/preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
        assertThat(plain.at("/spec").has("priorityClassName")).isFalse();

        cluster.addClass("low", 10, false, null);
        cluster.addClass("usual", 500, true, null);
        ObjectNode defaulted = admitted(pod("web", null, null, null));
        assertThat(defaulted.at("/spec/priority").asInt()).isEqualTo(500);
        assertThat(defaulted.at("/spec/priorityClassName").asText()).isEqualTo("usual");
        assertThat(defaulted.at("/spec/preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
    }

    @Test
    void anUnknownClassIsForbiddenWithKubeApiserversMessage() {
        assertThat(mutating().admit(create(PODS, "web", pod("web", "nope", null, null))))
                .isEqualTo(new Denied(403, "Forbidden", "pods \"web\" is forbidden: no PriorityClass with name nope was found"));
    }

    @Test
    void aPriorityOrPolicyOtherThanTheClasssIsForbiddenButTheSameOneIsFine() {
        cluster.addClass("high", 1000, false, null);

        assertThat(mutating().admit(create(PODS, "web", pod("web", "high", 7, null))))
                .isEqualTo(AdmissionResponse.forbidden("pods \"web\" is forbidden: the integer value of priority (7) must "
                        + "not be provided in pod spec; priority admission controller computed 1000 from the given "
                        + "PriorityClass name"));
        assertThat(mutating().admit(create(PODS, "web", pod("web", "high", null, "Never"))))
                .isInstanceOf(Denied.class);
        assertThat(admitted(pod("web", "high", 1000, "PreemptLowerPriority")).at("/spec/priority").asInt()).isEqualTo(1000);
    }

    @Test
    void onlyOneGlobalDefault() {
        cluster.addClass("usual", 500, true, null);

        assertThat(validating().validate(create(PRIORITY_CLASSES, "other", priorityClass("other", 1, true))))
                .isEqualTo(AdmissionResponse.forbidden("priorityclasses.scheduling.k8s.io \"other\" is forbidden: "
                        + "PriorityClass usual is already marked as default. Only one default can exist"));
        assertThat(validating().validate(create(PRIORITY_CLASSES, "other", priorityClass("other", 1, false))))
                .isEqualTo(AdmissionResponse.allow());
        AdmissionRequest updateSelf = new AdmissionRequest(Operation.UPDATE, PRIORITY_CLASSES, "", "", "usual",
                Optional.of(priorityClass("usual", 600, true)), Optional.of(priorityClass("usual", 500, true)), user(), false);
        assertThat(validating().validate(updateSelf)).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void systemClassesCannotBeDeleted() {
        assertThat(validating().validate(delete("system-node-critical"))).isEqualTo(AdmissionResponse.forbidden(
                "priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: "
                        + "this is a system priority class and cannot be deleted"));
        assertThat(validating().validate(delete("system-cluster-critical"))).isInstanceOf(Denied.class);
        assertThat(validating().validate(delete("high"))).isEqualTo(AdmissionResponse.allow());
    }

    private ObjectNode admitted(ObjectNode pod) {
        AdmissionResponse response = mutating().admit(create(PODS, "web", pod));
        assertThat(response).isInstanceOf(Allowed.class);
        return ((Allowed) response).patchedObject().orElseThrow();
    }

    private MutatingAdmissionPlugin mutating() {
        return (MutatingAdmissionPlugin) plugin;
    }

    private ValidatingAdmissionPlugin validating() {
        return (ValidatingAdmissionPlugin) plugin;
    }

    private static ObjectNode pod(String name, String className, Integer priority, String policy) {
        ObjectNode pod = MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "apps");
        ObjectNode spec = pod.putObject("spec");
        if (className != null) {
            spec.put("priorityClassName", className);
        }
        if (priority != null) {
            spec.put("priority", priority);
        }
        if (policy != null) {
            spec.put("preemptionPolicy", policy);
        }
        return pod;
    }

    private static ObjectNode priorityClass(String name, int value, boolean globalDefault) {
        ObjectNode pc = MAPPER.createObjectNode().put("apiVersion", "scheduling.k8s.io/v1").put("kind", "PriorityClass");
        pc.putObject("metadata").put("name", name);
        return pc.put("value", value).put("globalDefault", globalDefault);
    }

    private static AdmissionRequest create(ResourceType type, String name, ObjectNode object) {
        return new AdmissionRequest(Operation.CREATE, type, "", type.namespaced() ? "apps" : "", name, Optional.of(object),
                Optional.empty(), user(), false);
    }

    private static AdmissionRequest delete(String name) {
        return new AdmissionRequest(Operation.DELETE, PRIORITY_CLASSES, "", "", name, Optional.empty(),
                Optional.of(priorityClass(name, 1, false)), user(), false);
    }

    private static UserInfo user() {
        return UserInfo.of("alice", List.of(UserInfo.GROUP_AUTHENTICATED));
    }

    @SuppressWarnings("unchecked")
    private AdmissionPlugin create() {
        AdmissionPluginFactory<Object> factory = ServiceLoader.load(AdmissionPluginFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(PriorityFactory.NAME))
                .findFirst()
                .orElseThrow();
        Object config = MAPPER.convertValue(Map.of(), factory.configType());
        return factory.create(config, new Context(Path.of("/nonexistent"), Clock.systemUTC(), cluster));
    }

    private record Context(Path dataDir, Clock clock, ClusterView cluster) implements AdmissionContext {
    }

    private static final class FakeClusterView implements ClusterView {
        private final Map<String, ObjectNode> classes = new LinkedHashMap<>();

        void addClass(String name, int value, boolean globalDefault, String policy) {
            ObjectNode pc = priorityClass(name, value, globalDefault);
            if (policy != null) {
                pc.put("preemptionPolicy", policy);
            }
            classes.put(name, pc);
        }

        @Override
        public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
            return isClasses(group, resource) ? Optional.ofNullable(classes.get(name)) : Optional.empty();
        }

        @Override
        public List<ObjectNode> list(String group, String resource, String namespace) {
            return isClasses(group, resource) ? List.copyOf(classes.values()) : List.of();
        }

        private static boolean isClasses(String group, String resource) {
            return group.equals("scheduling.k8s.io") && resource.equals("priorityclasses");
        }
    }
}
