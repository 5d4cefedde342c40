package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kube4j.api.node.EnvEntry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestContainerEnv {
    private static final ContainerEnv.PodFields FIELDS = new ContainerEnv.PodFields("node-1", "10.0.0.1",
            List.of("10.0.0.5"), Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));

    private static final ContainerEnv.Sources SOURCES = new ContainerEnv.Sources() {
        @Override
        public Optional<ConfigMap> configMap(String name) {
            return name.equals("cfg") ? Optional.of(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                    .addToData("color", "blue").addToData("size", "L").addToData("not a name", "x").build()) : Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String name) {
            return name.equals("creds") ? Optional.of(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                    .addToData("password", Base64.getEncoder().encodeToString("s3cr3t".getBytes(StandardCharsets.UTF_8)))
                    .build()) : Optional.empty();
        }
    };

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").addToLabels("app", "web")
                .endMetadata().withNewSpec().withContainers(c).endSpec().build();
    }

    private static Map<String, String> env(ContainerEnv.Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.env().forEach(e -> m.put(e.key(), e.value()));
        return m;
    }

    @Test
    void sourcesValuesAndExpansion() throws Exception {
        Container c = new ContainerBuilder().withName("c").withImage("i")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withNewSecretRef().withName("absent").withOptional(true).endSecretRef().endEnvFrom()
                .addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef("color", "cfg", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "creds", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("MAYBE").withNewValueFrom().withNewConfigMapKeyRef("nope", "cfg", true)
                .endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                .endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef().withResource("requests.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("GREETING").withValue("$(COLOR) $(CFG_size) $(UNKNOWN) $$(COLOR) $(").endEnv()
                .withNewResources().addToRequests("memory", new Quantity("100Mi")).endResources()
                .withCommand("echo", "$(GREETING)").withArgs("$(PASSWORD)")
                .build();
        ContainerEnv.Result r = ContainerEnv.make(pod(c), c, FIELDS, SOURCES);
        Map<String, String> env = env(r);
        assertThat(env).containsEntry("CFG_color", "blue").containsEntry("CFG_size", "L")
                .doesNotContainKey("CFG_not a name").doesNotContainKey("MAYBE")
                .containsEntry("COLOR", "blue").containsEntry("PASSWORD", "s3cr3t").containsEntry("APP", "web")
                .containsEntry("CPU", "4").containsEntry("MEM_MI", "100")
                .containsEntry("GREETING", "blue L $(UNKNOWN) $(COLOR) $(");
        assertThat(r.command()).containsExactly("echo", "blue L $(UNKNOWN) $(COLOR) $(");
        assertThat(r.args()).containsExactly("s3cr3t");
        assertThat(r.env()).first().isEqualTo(new EnvEntry("CFG_color", "blue"));
    }

    @Test
    void missingRequiredSourcesAndKeysAreConfigErrors() {
        Container missingMap = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "absent", null).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> ContainerEnv.make(pod(missingMap), missingMap, FIELDS, SOURCES))
                .isInstanceOf(ContainerEnv.ConfigException.class).hasMessage("configmap \"absent\" not found");
        Container missingKey = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("user", "creds", false).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> ContainerEnv.make(pod(missingKey), missingKey, FIELDS, SOURCES))
                .hasMessage("couldn't find key user in Secret ns/creds");
        Container missingFrom = new ContainerBuilder().withName("c").addNewEnvFrom().withNewSecretRef().withName("absent")
                .endSecretRef().endEnvFrom().build();
        assertThatThrownBy(() -> ContainerEnv.make(pod(missingFrom), missingFrom, FIELDS, SOURCES))
                .hasMessage("secret \"absent\" not found");
    }

    @Test
    void expansionFollowsKubesRules() {
        Map<String, String> env = Map.of("A", "1", "B", "two");
        assertThat(ContainerEnv.expand("$(A)-$(B)", env)).isEqualTo("1-two");
        assertThat(ContainerEnv.expand("$$(A)", env)).isEqualTo("$(A)");
        assertThat(ContainerEnv.expand("$(C)", env)).isEqualTo("$(C)");
        assertThat(ContainerEnv.expand("$A $", env)).isEqualTo("$A $");
        assertThat(ContainerEnv.expand("$(A", env)).isEqualTo("$(A");
        assertThat(ContainerEnv.expand("", env)).isEmpty();
    }
}
