package io.kube4j.admission.defaulttolerationseconds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.AdmissionResponse.Allowed;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestDefaultTolerationSecondsPlugin {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceType PODS = ResourceType.builder("", "v1", "Pod", "pods", Pod.class).build();
    private static final ResourceType CONFIG_MAPS = ResourceType.builder("", "v1", "ConfigMap", "configmaps", ConfigMap.class).build();

    @Test
    void smokeFindsThePluginByNameAsMutatingOnCreateOnly() {
        AdmissionPlugin plugin = create(Map.of());
        assertThat(plugin).isInstanceOf(MutatingAdmissionPlugin.class);
        assertThat(plugin.handles(Operation.CREATE)).isTrue();
        assertThat(plugin.handles(Operation.UPDATE)).isFalse();
    }

    @Test
    void configDefaultsAndChecks() {
        assertThat(DefaultTolerationSecondsConfig.defaults()).isEqualTo(new DefaultTolerationSecondsConfig(300L, 300L));
        assertThat(MAPPER.convertValue(Map.of("defaultNotReadyTolerationSeconds", 5, "defaultUnreachableTolerationSeconds", 7),
                DefaultTolerationSecondsConfig.class)).isEqualTo(new DefaultTolerationSecondsConfig(5L, 7L));
        assertThatThrownBy(() -> new DefaultTolerationSecondsConfig(-1L, null)).hasMessageContaining("defaultNotReadyTolerationSeconds");
    }

    @Test
    void aPodWithoutTolerationsGetsBothForThreeHundredSeconds() throws Exception {
        JsonNode tolerations = admitted(create(Map.of()), pod("[]")).at("/spec/tolerations");
        assertThat(tolerations.toString()).isEqualTo(compact("""
                [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                 {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]"""));
    }

    @Test
    void aPodsOwnTolerationIsKeptAndOnlyTheMissingOneAdded() throws Exception {
        JsonNode tolerations = admitted(create(Map.of("defaultUnreachableTolerationSeconds", 30)), pod("""
                [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}]"""))
                .at("/spec/tolerations");
        assertThat(tolerations.toString()).isEqualTo(compact("""
                [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10},
                 {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]"""));
    }

    @Test
    void aTolerationOfEverythingNeedsNothingAdded() throws Exception {
        AdmissionResponse response = ((MutatingAdmissionPlugin) create(Map.of())).admit(request(PODS, pod("[{\"operator\":\"Exists\"}]")));
        assertThat(response).isEqualTo(AdmissionResponse.allow());
        AdmissionResponse other = ((MutatingAdmissionPlugin) create(Map.of())).admit(request(CONFIG_MAPS,
                (ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"c\"}}")));
        assertThat(other).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void aNoScheduleTolerationOfTheKeyDoesNotCount() throws Exception {
        JsonNode tolerations = admitted(create(Map.of()), pod("""
                [{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoSchedule"}]""")).at("/spec/tolerations");
        assertThat(tolerations).hasSize(3);
    }

    // The plugin writes long numbers, the parser int ones: compare the JSON text.
    private static String compact(String json) throws Exception {
        return MAPPER.readTree(json).toString();
    }

    private static ObjectNode pod(String tolerations) throws Exception {
        return (ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"containers\":[{\"name\":\"c\"}],"
                + "\"tolerations\":" + tolerations + "}}");
    }

    private static ObjectNode admitted(AdmissionPlugin plugin, ObjectNode pod) {
        AdmissionResponse response = ((MutatingAdmissionPlugin) plugin).admit(request(PODS, pod));
        assertThat(response).isInstanceOf(Allowed.class);
        return ((Allowed) response).patchedObject().orElseThrow();
    }

    private static AdmissionRequest request(ResourceType type, ObjectNode object) {
        return new AdmissionRequest(Operation.CREATE, type, "", "default", "web", Optional.of(object), Optional.empty(),
                UserInfo.of("alice", List.of(UserInfo.GROUP_AUTHENTICATED)), false);
    }

    @SuppressWarnings("unchecked")
    private static AdmissionPlugin create(Map<String, Object> config) {
        AdmissionPluginFactory<Object> factory = ServiceLoader.load(AdmissionPluginFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(DefaultTolerationSecondsFactory.NAME))
                .findFirst()
                .orElseThrow();
        return factory.create(MAPPER.convertValue(config, factory.configType()),
                new Context(Path.of("/nonexistent"), Clock.systemUTC(), new EmptyClusterView()));
    }

    private record Context(Path dataDir, Clock clock, ClusterView cluster) implements AdmissionContext {
    }

    private static final class EmptyClusterView implements ClusterView {
        @Override
        public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public List<ObjectNode> list(String group, String resource, String namespace) {
            return List.of();
        }
    }
}
