package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.storage.etcd.EtcdProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API servers on a real etcd member (Debian's etcd-server): the real kubectl works against them,
 * objects survive a restart of the API server, and two API servers on the same etcd agree on
 * every object and resourceVersion, a watch on one seeing the writes made through the other.
 */
class TestEtcdBackend {

    private static ClusterProfile profile(String endpoint, Path dataDir) {
        return ProfileLoader.parse("etcd.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: etcd}
                apiserver:
                  address: 127.0.0.1:0
                  serviceClusterIPRange: 10.96.0.0/27
                  storage: {plugin: etcd, config: {endpoints: [%s], prefix: /kube4j-test}}
                  authentication: [{plugin: token, config: {file: tokens.csv}}]
                  authorization: [{plugin: always-allow}]
                  admission: [{plugin: NamespaceLifecycle}]
                """.formatted(endpoint)).withDataDir(dataDir.toString());
    }

    private static Cluster start(String endpoint, Path dataDir) {
        return Cluster.start(profile(endpoint, dataDir), "etcd.yaml", Optional.empty());
    }

    @Test
    void kubectlWorksAndObjectsSurviveARestartOfTheApiServer(@TempDir Path dir) throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"))) {
            String first;
            List<String> versions = new ArrayList<>();
            try (Cluster cluster = start(etcd.endpoint(), dir.resolve("api"))) {
                Kubectl kubectl = new Kubectl(cluster.kubeconfig());
                kubectl.run("create", "namespace", "shop").ok();
                kubectl.run("create", "deployment", "web", "--image=busybox", "-n", "shop").ok();
                assertThat(kubectl.run("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}").ok().out())
                        .isEqualTo("1");
                Api api = new Api(cluster);
                first = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"},\"data\":{\"n\":\"0\"}}")
                        .body().path("metadata").path("resourceVersion").asText();
                for (int i = 1; i <= 3; i++) {
                    versions.add(api.send("PATCH", "/api/v1/namespaces/default/configmaps/kept", "application/merge-patch+json",
                            "{\"data\":{\"n\":\"" + i + "\"}}").body().path("metadata").path("resourceVersion").asText());
                }
            }
            try (Cluster cluster = start(etcd.endpoint(), dir.resolve("api"))) {
                Kubectl kubectl = new Kubectl(cluster.kubeconfig());
                assertThat(kubectl.run("get", "deployments", "-n", "shop", "-o", "name").ok().out().trim())
                        .isEqualTo("deployment.apps/web");
                Api api = new Api(cluster);
                JsonNode kept = api.send("GET", "/api/v1/namespaces/default/configmaps/kept", null, null).body();
                assertThat(kept.path("data").path("n").asText()).isEqualTo("3");
                assertThat(kept.path("metadata").path("resourceVersion").asText()).isEqualTo(versions.get(2));
                assertThat(watch(api, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + first
                        + "&timeoutSeconds=2")).containsExactlyElementsOf(versions.stream().map(v -> "MODIFIED@" + v).toList());
            }
        }
    }

    @Test
    void twoApiServersOnOneEtcdAgreeAndWatchEachOthersWrites(@TempDir Path dir) throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
             Cluster a = start(etcd.endpoint(), dir.resolve("a"));
             Cluster b = start(etcd.endpoint(), dir.resolve("b"))) {
            Api apiA = new Api(a);
            Api apiB = new Api(b);
            String rv = apiA.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"shared\"},\"data\":{\"n\":\"0\"}}")
                    .body().path("metadata").path("resourceVersion").asText();
            String next = apiB.send("PATCH", "/api/v1/namespaces/default/configmaps/shared", "application/merge-patch+json",
                    "{\"data\":{\"n\":\"1\"}}").body().path("metadata").path("resourceVersion").asText();

            JsonNode onA = apiA.send("GET", "/api/v1/namespaces/default/configmaps/shared?resourceVersion=" + next, null, null)
                    .body();
            assertThat(onA.path("data").path("n").asText()).as("A serves B's write").isEqualTo("1");
            assertThat(onA.path("metadata").path("resourceVersion").asText()).isEqualTo(next);
            assertThat(watch(apiA, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv
                    + "&timeoutSeconds=2")).containsExactly("MODIFIED@" + next);
            int stale = apiA.send("PUT", "/api/v1/namespaces/default/configmaps/shared", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"shared\",\"resourceVersion\":\""
                            + rv + "\"},\"data\":{\"n\":\"2\"}}").code();
            assertThat(stale).as("A refuses a write based on the version B replaced").isEqualTo(409);
        }
    }

    @Test
    void twoApiServersNeverGiveTwoServicesTheSameClusterIp(@TempDir Path dir) throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
             Cluster a = start(etcd.endpoint(), dir.resolve("a"));
             Cluster b = start(etcd.endpoint(), dir.resolve("b"))) {
            Api[] apis = {new Api(a), new Api(b)};
            // 10.96.0.0/27: 29 addresses after the kubernetes Service; 28 Services from both servers at once.
            List<java.util.concurrent.Future<String>> ips = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 28; i++) {
                    Api api = apis[i % 2];
                    String name = "svc-" + i;
                    ips.add(pool.submit(() -> api.send("POST", "/api/v1/namespaces/default/services", "application/json",
                            "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},"
                                    + "\"spec\":{\"selector\":{\"app\":\"x\"},\"ports\":[{\"port\":80}]}}")
                            .body().path("spec").path("clusterIP").asText()));
                }
            }
            List<String> given = new ArrayList<>();
            for (var f : ips) {
                given.add(f.get());
            }
            assertThat(given).allMatch(ip -> ip.startsWith("10.96.0.")).doesNotHaveDuplicates()
                    .doesNotContain("10.96.0.1");
            JsonNode kubernetes = apis[1].send("GET", "/api/v1/namespaces/default/services/kubernetes", null, null).body();
            assertThat(kubernetes.path("spec").path("clusterIP").asText()).isEqualTo("10.96.0.1");

            // A freed address can be taken again, through the other server.
            String freed = given.getFirst();
            assertThat(apis[0].send("DELETE", "/api/v1/namespaces/default/services/svc-0", null, null).code()).isEqualTo(200);
            JsonNode again = apis[1].send("POST", "/api/v1/namespaces/default/services", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"again\"},"
                            + "\"spec\":{\"clusterIP\":\"" + freed + "\",\"ports\":[{\"port\":80}]}}").body();
            assertThat(again.path("spec").path("clusterIP").asText()).isEqualTo(freed);
            int taken = apis[0].send("POST", "/api/v1/namespaces/default/services", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"clash\"},"
                            + "\"spec\":{\"clusterIP\":\"" + freed + "\",\"ports\":[{\"port\":80}]}}").code();
            assertThat(taken).as("an address held through the other server").isEqualTo(422);
        }
    }

    private static List<String> watch(Api api, String path) throws Exception {
        HttpResponse<InputStream> watch = api.client().send(api.request(path).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> seen = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode e = Api.JSON.readTree(line);
                    seen.add(e.path("type").asText() + "@" + e.path("object").path("metadata").path("resourceVersion").asText());
                }
            }
        }
        return seen;
    }
}
