package io.kube4j.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestOpenApiDocuments {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static ResourceRegistry registry;
    private static OpenApiDocuments documents;

    @BeforeAll
    static void build() {
        registry = ResourceRegistry.builtIn();
        documents = new OpenApiDocuments(registry);
    }

    private static JsonNode read(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    @Test
    void v2HasPodWithKindAndPatchKeys() throws IOException {
        JsonNode doc = read(documents.v2());

        assertThat(doc.get("swagger").asText()).isEqualTo("2.0");
        JsonNode pod = doc.at("/definitions/io.k8s.api.core.v1.Pod");
        assertThat(pod.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("Pod");
        assertThat(pod.at("/x-kubernetes-group-version-kind/0/version").asText()).isEqualTo("v1");
        assertThat(pod.at("/x-kubernetes-group-version-kind/0/group").asText()).isEmpty();
        assertThat(pod.get("description").asText()).contains("collection of containers");
        assertThat(pod.at("/properties/spec/$ref").asText()).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
        JsonNode containers = doc.at("/definitions/io.k8s.api.core.v1.PodSpec/properties/containers");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.at("/items/$ref").asText()).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
        assertThat(doc.at("/definitions/io.k8s.api.core.v1.PodSpec/required/0").asText()).isEqualTo("containers");
        assertThat(doc.at("/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta/properties/creationTimestamp/$ref")
                .asText()).isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time");
        assertThat(doc.at("/definitions/io.k8s.api.apps.v1.Deployment/x-kubernetes-group-version-kind/0/group").asText())
                .isEqualTo("apps");
        assertThat(doc.at("/paths/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}/patch/x-kubernetes-action").asText())
                .isEqualTo("patch");
    }

    @Test
    void fieldsNewerThanV114AreDescribed() throws IOException {
        JsonNode doc = read(documents.v2());

        assertThat(doc.at("/definitions/io.k8s.api.discovery.v1.EndpointSlice/properties/addressType/description").asText())
                .contains("type of address");
        assertThat(doc.at("/definitions/io.k8s.api.core.v1.PodSpec/properties/setHostnameAsFQDN/description").asText())
                .isNotEmpty();
        assertThat(doc.at("/definitions/io.k8s.api.core.v1.Container/properties/image/description").asText())
                .contains("Docker image name");
    }

    @Test
    void v2HasNoDanglingReference() throws IOException {
        JsonNode doc = read(documents.v2());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(doc.at("/definitions").has(ref.substring("#/definitions/".length()))).as(ref).isTrue();
        }
    }

    @Test
    void v3IndexListsEveryGroupVersionWithItsHash() throws IOException {
        JsonNode index = read(documents.v3Index());

        assertThat(index.at("/paths/api~1v1/serverRelativeURL").asText())
                .isEqualTo("/openapi/v3/api/v1?hash=" + documents.v3Hash("api/v1"));
        assertThat(index.at("/paths/apis~1apps~1v1/serverRelativeURL").asText())
                .isEqualTo("/openapi/v3/apis/apps/v1?hash=" + documents.v3Hash("apis/apps/v1"));
        assertThat(index.get("paths").size()).isEqualTo(registry.groupVersions().values().stream().mapToInt(List::size).sum());
        assertThat(documents.v3Hash("api/v1")).matches("[0-9A-F]{128}");
        assertThat(new OpenApiDocuments(registry).v3Hash("apis/apps/v1")).isEqualTo(documents.v3Hash("apis/apps/v1"));
        assertThat(documents.v3("apis/nope/v1")).isEmpty();
        assertThat(documents.v3("/openapi/v3/api/v1")).isPresent();
    }

    @Test
    void v3DocumentIsSelfContained() throws IOException {
        JsonNode doc = read(documents.v3("apis/apps/v1").orElseThrow());

        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        JsonNode deployment = doc.at("/components/schemas/io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("Deployment");
        assertThat(doc.at("/components/schemas/io.k8s.api.apps.v1.DeploymentSpec/properties/strategy/allOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy");
        JsonNode patch = doc.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
        assertThat(patch.at("/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Deployment");
        List<String> parameters = new ArrayList<>();
        patch.get("parameters").forEach(p -> parameters.add(p.get("name").asText()));
        assertThat(parameters).contains("fieldValidation", "dryRun", "fieldManager");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            assertThat(doc.at("/components/schemas").has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
        }
        assertThat(doc.at("/components/schemas/io.k8s.api.core.v1.Pod").isMissingNode()).isTrue();
    }

    @Test
    void kubectlExplainReadsTheDocuments(@TempDir Path dir) throws Exception {
        assumeThat(Files.isExecutable(KUBECTL)).as("kubectl installed").isTrue();
        try (StubApiServer server = new StubApiServer(registry, documents)) {
            Path kubeconfig = server.kubeconfig(dir);

            String pod = kubectl(dir, kubeconfig, "explain", "pod");
            assertThat(pod).contains("KIND:       Pod").contains("VERSION:    v1")
                    .contains("collection of containers").contains("spec\t<PodSpec>");

            assertThat(kubectl(dir, kubeconfig, "explain", "pod.spec.containers.resources"))
                    .contains("limits\t<map[string]Quantity>");

            String strategy = kubectl(dir, kubeconfig, "explain", "deployment.spec.strategy");
            assertThat(strategy).contains("GROUP:      apps").contains("FIELD: strategy <DeploymentStrategy>")
                    .contains("rollingUpdate");
            assertThat(server.requests).anyMatch(r -> r.startsWith("GET /openapi/v3/apis/apps/v1?hash="));
        }
    }

    @Test
    void kubectlApplyMergesContainersByName(@TempDir Path dir) throws Exception {
        assumeThat(Files.isExecutable(KUBECTL)).as("kubectl installed").isTrue();
        String applied = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"default"},
                 "spec":{"containers":[{"image":"nginx:1","name":"a"},{"image":"busybox","name":"b"}]}}""";
        ObjectNode existing = (ObjectNode) MAPPER.readTree(applied);
        ((ObjectNode) existing.get("metadata")).put("resourceVersion", "7").putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", MAPPER.readTree(applied).toString());
        Path manifest = dir.resolve("pod.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p1, namespace: default}
                spec:
                  containers: [{name: a, image: "nginx:2"}, {name: b, image: busybox}]
                """);
        try (StubApiServer server = new StubApiServer(registry, documents)) {
            server.objects.put("/api/v1/namespaces/default/pods/p1", MAPPER.writeValueAsBytes(existing));

            String output = kubectl(dir, server.kubeconfig(dir), "apply", "-f", manifest.toString());

            // kubectl falls back to v2 and then to its compiled-in types when the v3 patch metadata is
            // unusable, which would hide a missing merge key: the patch must come from v3 alone.
            assertThat(output).doesNotContain("error calculating patch");
            assertThat(server.requests).noneMatch(r -> r.startsWith("GET /openapi/v2"));

            assertThat(server.patches).hasSize(1);
            JsonNode patch = MAPPER.readTree(server.patches.getFirst());
            assertThat(patch.at("/spec/$setElementOrder~1containers").toString())
                    .isEqualTo("[{\"name\":\"a\"},{\"name\":\"b\"}]");
            assertThat(patch.at("/spec/containers").toString()).isEqualTo("[{\"image\":\"nginx:2\",\"name\":\"a\"}]");
        }
    }

    private static String kubectl(Path dir, Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

}
