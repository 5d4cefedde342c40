package io.kube4j.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpecBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestQuotaUsage {

    private static Pod pod(String phase, Map<String, String> requests, Map<String, String> limits) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer().withName("a")
                .withNewResources().withRequests(quantities(requests)).withLimits(quantities(limits)).endResources().endContainer()
                .addNewContainer().withName("b").withNewResources().withRequests(quantities(requests)).endResources().endContainer()
                .endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> result = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, new Quantity(v)));
        return result;
    }

    @Test
    void configDefaultsAndChecks() {
        assertThat(ResourceQuotaConfig.defaults().resync()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> new ResourceQuotaConfig("0")).hasMessageContaining("resyncPeriod");
        assertThat(new ObjectMapper().convertValue(Map.of("resyncPeriod", "30s"),
                ResourceQuotaConfig.class).resync()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void requestsAndLimitsAddUpOverContainersAndInitContainersTakeTheLargest() {
        Pod pod = pod("Running", Map.of("cpu", "100m", "memory", "64Mi"), Map.of("cpu", "1", "memory", "128Mi"));
        assertThat(QuotaUsage.podUsage(pod, "requests.cpu")).isEqualByComparingTo("0.2");
        assertThat(QuotaUsage.podUsage(pod, "cpu")).isEqualByComparingTo("0.2");
        assertThat(QuotaUsage.podUsage(pod, "limits.memory")).isEqualByComparingTo(BigDecimal.valueOf(128L * 1024 * 1024));
        assertThat(QuotaUsage.podUsage(pod, "pods")).isZero();
        pod.getSpec().setInitContainers(List.of(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("init")
                .withNewResources().addToRequests("cpu", new Quantity("500m")).endResources().build()));
        assertThat(QuotaUsage.podUsage(pod, "requests.cpu")).isEqualByComparingTo("0.5");
        Pod limitOnly = pod("Running", Map.of(), Map.of("memory", "1Gi"));
        assertThat(QuotaUsage.podUsage(limitOnly, "requests.memory")).as("a limit without a request requests it")
                .isEqualByComparingTo(BigDecimal.valueOf(1024L * 1024 * 1024));
    }

    @Test
    void terminalPodsDoNotCountAndScopesSelect() {
        assertThat(QuotaUsage.counts(pod("Succeeded", Map.of(), Map.of()))).isFalse();
        assertThat(QuotaUsage.counts(pod("Pending", Map.of(), Map.of()))).isTrue();
        ResourceQuotaSpec bestEffort = new ResourceQuotaSpecBuilder().withScopes("BestEffort").build();
        assertThat(QuotaUsage.inScopes(pod("Running", Map.of(), Map.of()), bestEffort)).isTrue();
        assertThat(QuotaUsage.inScopes(pod("Running", Map.of("cpu", "1"), Map.of()), bestEffort)).isFalse();
        ResourceQuotaSpec terminating = new ResourceQuotaSpecBuilder().withScopes("Terminating").build();
        assertThat(QuotaUsage.inScopes(pod("Running", Map.of(), Map.of()), terminating)).isFalse();
    }

    @Test
    void quantitiesAreWrittenAsKubernetesWritesThem() {
        assertThat(QuotaUsage.format("requests.cpu", new BigDecimal("0.25"))).isEqualTo("250m");
        assertThat(QuotaUsage.format("cpu", new BigDecimal("2.000"))).isEqualTo("2");
        assertThat(QuotaUsage.format("limits.cpu", BigDecimal.ZERO)).isEqualTo("0");
        assertThat(QuotaUsage.format("requests.memory", BigDecimal.valueOf(128L * 1024 * 1024))).isEqualTo("128Mi");
        assertThat(QuotaUsage.format("memory", BigDecimal.valueOf(100_000_000L))).isEqualTo("100M");
        assertThat(QuotaUsage.format("pods", BigDecimal.valueOf(3))).isEqualTo("3");
        assertThat(QuotaUsage.format("memory", BigDecimal.valueOf(1000L * 1024 + 1))).isEqualTo("1024001");
    }

    @Test
    void sameAmountsIgnoresFormats() {
        assertThat(QuotaUsage.sameAmounts(Map.of("cpu", new Quantity("1")), Map.of("cpu", new Quantity("1000m")))).isTrue();
        assertThat(QuotaUsage.sameAmounts(Map.of("cpu", new Quantity("1")), Map.of("cpu", new Quantity("2")))).isFalse();
        assertThat(QuotaUsage.sameAmounts(null, Map.of("pods", new Quantity("1")))).isFalse();
    }
}
