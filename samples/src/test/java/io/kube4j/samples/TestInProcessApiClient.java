package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.assembly.Cluster;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * kube4j's own ApiClient in-process, as the components of a {@code kube4j up} reach the API server
 * in their JVM: the same answers as over HTTPS, and the same authentication.
 */
class TestInProcessApiClient extends ApiClientContract {
    @Override
    ApiClient connect(Cluster cluster) {
        return cluster.inProcessClient();
    }

    @Test
    void aRequestWithoutAValidTokenIsUnauthorized() {
        try (ApiClient stranger = new HttpApiClient(cluster.inProcessTransport(Optional.of("not-a-token")),
                ResourceRegistry.builtIn())) {
            assertThatThrownBy(() -> stranger.get(ConfigMap.class, "default", "anything"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(401);
                        assertThat(e.status().getReason()).isEqualTo("Unauthorized");
                    });
        }
    }

    @Test
    void whatOneTransportWritesTheOtherReads() {
        try (ApiClient https = new TestHttpApiClient().connect(cluster)) {
            client.create(configMap("both-ways", "in-process"));
            assertThat(https.get(ConfigMap.class, "default", "both-ways")).map(c -> c.getData().get("k")).contains("in-process");
            ConfigMap c = https.get(ConfigMap.class, "default", "both-ways").orElseThrow();
            c.getData().put("k", "https");
            https.update(c);
            assertThat(client.get(ConfigMap.class, "default", "both-ways")).map(m -> m.getData().get("k")).contains("https");
        }
    }
}
