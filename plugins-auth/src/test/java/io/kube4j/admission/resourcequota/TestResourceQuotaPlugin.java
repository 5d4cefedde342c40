package io.kube4j.admission.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.AdmissionResponse.Denied;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestResourceQuotaPlugin {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceType PODS = ResourceType.builder("", "v1", "Pod", "pods", Pod.class).build();
    private static final ResourceType CONFIG_MAPS = ResourceType.builder("", "v1", "ConfigMap", "configmaps", ConfigMap.class).build();
    private static final ResourceType DEPLOYMENTS = ResourceType.builder("apps", "v1", "Deployment", "deployments",
            Deployment.class).build();

    private final List<ObjectNode> quotas = new ArrayList<>();
    private final ValidatingAdmissionPlugin plugin = (ValidatingAdmissionPlugin) create();

    private void quota(String name, String hard, String statusHard, String used) throws Exception {
        quotas.add((ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"team\"},\"spec\":{\"hard\":"
                + hard + "},\"status\":{" + (statusHard == null ? "" : "\"hard\":" + statusHard + ",\"used\":" + used) + "}}"));
    }

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json);
    }

    private static ObjectNode pod(String name, String resources) throws Exception {
        return object("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":"
                + resources + "}]}}");
    }

    private AdmissionResponse validate(ResourceType type, ObjectNode object) {
        return plugin.validate(new AdmissionRequest(Operation.CREATE, type, "", "team", object.path("metadata").path("name").asText(),
                Optional.of(object), Optional.empty(), UserInfo.of("alice", List.of(UserInfo.GROUP_AUTHENTICATED)), false));
    }

    @Test
    void smokeFindsThePluginByNameAsValidatingOnCreate() {
        assertThat(plugin.handles(Operation.CREATE)).isTrue();
        assertThat(plugin.handles(Operation.UPDATE)).isFalse();
    }

    @Test
    void aPodOverThePodCountIsForbiddenWithKubeApiserversMessage() throws Exception {
        quota("pods-quota", "{\"pods\":\"2\"}", "{\"pods\":\"2\"}", "{\"pods\":\"2\"}");
        assertThat(validate(PODS, pod("third", "{}"))).isEqualTo(new Denied(403, "Forbidden",
                "pods \"third\" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=2, limited: pods=2"));
        quotas.clear();
        quota("pods-quota", "{\"pods\":\"2\"}", "{\"pods\":\"2\"}", "{\"pods\":\"1\"}");
        assertThat(validate(PODS, pod("second", "{}"))).isEqualTo(AdmissionResponse.allow());
        assertThat(validate(CONFIG_MAPS, object("{\"metadata\":{\"name\":\"cm\"}}"))).as("not limited").isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void computeRequestsAndLimitsCountAndMustBeStated() throws Exception {
        quota("compute", "{\"requests.cpu\":\"1\",\"limits.memory\":\"1Gi\"}", "{\"requests.cpu\":\"1\",\"limits.memory\":\"1Gi\"}",
                "{\"requests.cpu\":\"800m\",\"limits.memory\":\"512Mi\"}");
        assertThat(validate(PODS, pod("big", "{\"requests\":{\"cpu\":\"300m\"},\"limits\":{\"memory\":\"256Mi\"}}")))
                .isEqualTo(new Denied(403, "Forbidden", "pods \"big\" is forbidden: exceeded quota: compute, requested: "
                        + "requests.cpu=300m, used: requests.cpu=800m, limited: requests.cpu=1"));
        assertThat(validate(PODS, pod("fits", "{\"requests\":{\"cpu\":\"200m\"},\"limits\":{\"memory\":\"512Mi\"}}")))
                .isEqualTo(AdmissionResponse.allow());
        assertThat(validate(PODS, pod("bare", "{}"))).isEqualTo(new Denied(403, "Forbidden",
                "pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c"));
    }

    @Test
    void countsOfOtherTypesAndQuotasWithoutStatus() throws Exception {
        quota("objects", "{\"count/deployments.apps\":\"1\",\"configmaps\":\"5\"}", null, null);
        assertThat(validate(DEPLOYMENTS, object("{\"metadata\":{\"name\":\"web\"}}"))).isEqualTo(new Denied(403, "Forbidden",
                "deployments.apps \"web\" is forbidden: status unknown for quota: objects, resources: count/deployments.apps"));
        quotas.clear();
        quota("objects", "{\"count/deployments.apps\":\"1\"}", "{\"count/deployments.apps\":\"1\"}", "{\"count/deployments.apps\":\"1\"}");
        assertThat(validate(DEPLOYMENTS, object("{\"metadata\":{\"name\":\"web\"}}"))).isInstanceOf(Denied.class);
        assertThat(validate(PODS, pod("p", "{}"))).isEqualTo(AdmissionResponse.allow());
    }

    @SuppressWarnings("unchecked")
    private AdmissionPlugin create() {
        AdmissionPluginFactory<Object> factory = ServiceLoader.load(AdmissionPluginFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(ResourceQuotaFactory.NAME))
                .findFirst()
                .orElseThrow();
        return factory.create(MAPPER.convertValue(Map.of(), factory.configType()),
                new Context(Path.of("/nonexistent"), Clock.systemUTC(), new QuotaView()));
    }

    private record Context(Path dataDir, Clock clock, ClusterView cluster) implements AdmissionContext {
    }

    private final class QuotaView implements ClusterView {
        @Override
        public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public List<ObjectNode> list(String group, String resource, String namespace) {
            return resource.equals("resourcequotas") && namespace.equals("team") ? List.copyOf(quotas) : List.of();
        }
    }
}
