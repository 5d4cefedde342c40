package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiClientConfig;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.assembly.Cluster;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kube4j's own ApiClient over HTTPS, as components in other processes reach the API server. */
class TestHttpApiClient extends ApiClientContract {
    @Override
    ApiClient connect(Cluster cluster) {
        return new HttpApiClient(ApiClientConfig.of(cluster.url()).withToken(cluster.adminToken().orElseThrow())
                .withCaCertificate(cluster.caCertificatePem().orElseThrow()), ResourceRegistry.builtIn());
    }

    @Test
    void failsOverToTheNextServer() {
        URI dead = URI.create("https://127.0.0.1:1");
        try (ApiClient failover = new HttpApiClient(new ApiClientConfig(List.of(dead, cluster.url()),
                cluster.adminToken(), cluster.caCertificatePem(), false, java.time.Duration.ofSeconds(10)),
                ResourceRegistry.builtIn())) {
            assertThat(failover.get(io.fabric8.kubernetes.api.model.Namespace.class, "", "default")).isPresent();
        }
    }
}
