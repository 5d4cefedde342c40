package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.samples.blocking.HoldWritesFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins named in a profile change what the API server does; profile mistakes are clear errors. */
class TestPluginsInProfiles {

    private static ClusterProfile profile(Path dir, String admission, String extra) {
        return ProfileLoader.parse("test.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: test}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                  admission: [%s]
                %s
                """.formatted(admission, extra)).withDataDir(dir.toString());
    }

    @Test
    void exampleAdmissionPluginRefusesConfigMapsWithoutOwner(@TempDir Path dir) {
        try (Cluster cluster = Cluster.start(profile(dir, "{plugin: NamespaceLifecycle}, {plugin: require-owner}", ""),
                "test.yaml", Optional.empty())) {
            Api api = new Api(cluster);
            Api.Response refused = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");
            assertThat(refused.code()).isEqualTo(403);
            assertThat(refused.body().path("message").asText()).isEqualTo("ConfigMaps need an owner label");
            Api.Response ok = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"labels\":{\"owner\":\"me\"}}}");
            assertThat(ok.code()).isEqualTo(201);
        }
    }

    @Test
    void writesOverTheInFlightLimitGet429WithRetryAfter(@TempDir Path dir) throws Exception {
        HoldWritesFactory.entered = new CountDownLatch(1);
        HoldWritesFactory.release = new CountDownLatch(1);
        try (Cluster cluster = Cluster.start(profile(dir, "{plugin: " + HoldWritesFactory.NAME + "}",
                "  maxMutatingRequestsInflight: 1"), "test.yaml", Optional.empty())) {
            Api api = new Api(cluster);
            CompletableFuture<Api.Response> held = CompletableFuture.supplyAsync(() -> api.send("POST",
                    "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"hold-me\"}}"));
            assertThat(HoldWritesFactory.entered.await(20, TimeUnit.SECONDS)).isTrue();
            Api.Response over = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"second\"}}");
            assertThat(over.code()).isEqualTo(429);
            assertThat(over.body().path("reason").asText()).isEqualTo("TooManyRequests");
            assertThat(over.headers().firstValue("Retry-After")).contains("1");
            assertThat(api.send("GET", "/api/v1/namespaces/default/configmaps", null, null).code())
                    .as("reads have their own limit").isEqualTo(200);
            HoldWritesFactory.release.countDown();
            assertThat(held.get(20, TimeUnit.SECONDS).code()).isEqualTo(201);
            // The held write's answer can reach us a moment before the server frees its slot, so the next write
            // waits for the slot as a client honouring Retry-After would; it must then be created, not refused.
            int[] code = new int[1];
            Clients.await("the write slot to be free again", Duration.ofSeconds(10), () -> (code[0] = api.send("POST",
                    "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"second\"}}").code()) != 429);
            assertThat(code[0]).as("the server keeps answering").isEqualTo(201);
        } finally {
            HoldWritesFactory.release.countDown();
        }
    }

    @Test
    void unknownPluginNamesFileLineAndChoices(@TempDir Path dir) {
        assertThatThrownBy(() -> Cluster.start(profile(dir, "{plugin: NamespaceLifecycle}, {plugin: no-such-thing}", ""),
                "test.yaml", Optional.empty()))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("test.yaml:7: apiserver.admission[1]: unknown admission plugin 'no-such-thing'")
                .hasMessageContaining("available: ").hasMessageContaining("NamespaceLifecycle").hasMessageContaining("require-owner");
    }

    @Test
    void unknownKeysAndBadConfigNameTheLine() {
        assertThatThrownBy(() -> ProfileLoader.parse("bad.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                apiserver:
                  adress: 127.0.0.1:6443
                """)).isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("bad.yaml:4: unknown key 'adress' in apiserver; valid keys: ")
                .hasMessageContaining("address");
    }
}
