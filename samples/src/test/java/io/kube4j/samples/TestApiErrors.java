package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets kube-apiserver's Status: the right code, reason, message and field causes; the server keeps answering. */
class TestApiErrors {
    private static Cluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("kube4j-errors");
        cluster = Profiles.start("memory.yaml", dir);
        api = new Api(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void assertStatus(Api.Response r, int code, String reason) {
        assertThat(r.code()).as("%s", r.body()).isEqualTo(code);
        assertThat(r.body().path("kind").asText()).isEqualTo("Status");
        assertThat(r.body().path("status").asText()).isEqualTo("Failure");
        assertThat(r.body().path("reason").asText()).isEqualTo(reason);
        assertThat(r.body().path("code").asInt()).isEqualTo(code);
    }

    @Test
    void malformedJsonIs400() {
        Api.Response r = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{\"kind\": ");
        assertStatus(r, 400, "BadRequest");
    }

    @Test
    void unknownResourceIs404AndMissingObjectIs404WithDetails() {
        assertStatus(api.send("GET", "/api/v1/namespaces/default/widgets", null, null), 404, "NotFound");
        Api.Response r = api.send("GET", "/api/v1/namespaces/default/configmaps/nope", null, null);
        assertStatus(r, 404, "NotFound");
        assertThat(r.body().path("message").asText()).isEqualTo("configmaps \"nope\" not found");
        assertThat(r.body().path("details").path("name").asText()).isEqualTo("nope");
        assertThat(r.body().path("details").path("kind").asText()).isEqualTo("configmaps");
    }

    @Test
    void duplicateCreateIs409AlreadyExistsAndStaleUpdateIs409Conflict() {
        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dup\"},\"data\":{\"a\":\"1\"}}";
        Api.Response created = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cm);
        assertThat(created.code()).isEqualTo(201);
        assertStatus(api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cm), 409, "AlreadyExists");
        String rv = created.body().path("metadata").path("resourceVersion").asText();
        String update = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dup\",\"resourceVersion\":\"" + rv
                + "\"},\"data\":{\"a\":\"2\"}}";
        assertThat(api.send("PUT", "/api/v1/namespaces/default/configmaps/dup", "application/json", update).code()).isEqualTo(200);
        Api.Response stale = api.send("PUT", "/api/v1/namespaces/default/configmaps/dup", "application/json", update);
        assertStatus(stale, 409, "Conflict");
        assertThat(stale.body().path("message").asText()).contains("the object has been modified");
        JsonNode now = api.send("GET", "/api/v1/namespaces/default/configmaps/dup", null, null).body();
        assertThat(now.path("data").path("a").asText()).isEqualTo("2");
    }

    @Test
    void invalidObjectIs422WithFieldCauses() {
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"Bad_Name\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\"}]}}";
        Api.Response r = api.send("POST", "/api/v1/namespaces/default/pods", "application/json", pod);
        assertStatus(r, 422, "Invalid");
        assertThat(r.body().path("message").asText()).startsWith("Pod \"Bad_Name\" is invalid: ");
        assertThat(r.body().path("details").path("causes").findValuesAsText("field"))
                .contains("metadata.name", "spec.containers[0].image");
    }

    @Test
    void badContinueTokenIs400() {
        Api.Response bad = api.send("GET", "/api/v1/namespaces/default/configmaps?continue=not-a-token", null, null);
        assertStatus(bad, 400, "BadRequest");
    }

    @Test
    void bodyOver3MiBIs413() {
        String huge = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"huge\"},\"data\":{\"a\":\""
                + "x".repeat(3 * 1024 * 1024 + 10) + "\"}}";
        Api.Response refused = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", huge);
        assertStatus(refused, 413, "RequestEntityTooLarge");
        assertThat(refused.headers().firstValue("Connection")).as("the unread body ends the connection").hasValue("close");
        assertThat(api.send("GET", "/api/v1/namespaces/default/configmaps/huge", null, null).code()).isEqualTo(404);
    }

    @Test
    void unknownFieldsFollowFieldValidation() {
        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fv\",\"bogus\":1},\"data\":{\"a\":\"1\"},\"extra\":true}";
        Api.Response strict = api.send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                "application/json", cm);
        assertStatus(strict, 400, "BadRequest");
        assertThat(strict.body().path("message").asText())
                .isEqualTo("strict decoding error: unknown field \"metadata.bogus\", unknown field \"extra\"");
        Api.Response warn = api.send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Warn",
                "application/json", cm);
        assertThat(warn.code()).isEqualTo(201);
        assertThat(warn.headers().allValues("Warning")).contains("299 - \"unknown field \\\"metadata.bogus\\\"\"");
        assertThat(warn.body().has("extra")).isFalse();
        assertStatus(api.send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Sometimes",
                "application/json", cm), 400, "BadRequest");
    }

    @Test
    void missingNamespaceIs404FromNamespaceLifecycle() {
        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}";
        Api.Response r = api.send("POST", "/api/v1/namespaces/nowhere/configmaps", "application/json", cm);
        assertStatus(r, 404, "NotFound");
        assertThat(r.body().path("message").asText()).isEqualTo("namespaces \"nowhere\" not found");
    }

    @Test
    void unauthenticatedRequestIs401() {
        Api.Response r = api.send(HttpRequest.newBuilder(cluster.url().resolve("/api/v1/namespaces"))
                .header("Authorization", "Bearer wrong").build());
        assertStatus(r, 401, "Unauthorized");
    }

    @Test
    void serviceReplacedWithoutClusterIpKeepsIt() {
        String svc = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"keep-ip\"},"
                + "\"spec\":{\"selector\":{\"app\":\"x\"},\"ports\":[{\"port\":80}]}}";
        Api.Response created = api.send("POST", "/api/v1/namespaces/default/services", "application/json", svc);
        String ip = created.body().path("spec").path("clusterIP").asText();
        assertThat(ip).startsWith("10.");
        Api.Response replaced = api.send("PUT", "/api/v1/namespaces/default/services/keep-ip", "application/json", svc);
        assertThat(replaced.code()).isEqualTo(200);
        assertThat(replaced.body().path("spec").path("clusterIP").asText()).isEqualTo(ip);
        assertThat(replaced.body().path("spec").path("clusterIPs").get(0).asText()).isEqualTo(ip);
    }

    @Test
    void healthEndpoints() {
        assertThat(api.send("GET", "/healthz", null, null).body().asText()).isEqualTo("ok");
        String verbose = api.send("GET", "/readyz?verbose", null, null).body().asText();
        assertThat(verbose).contains("[+]ping ok").contains("[+]etcd ok").contains("readyz check passed");
    }
}
