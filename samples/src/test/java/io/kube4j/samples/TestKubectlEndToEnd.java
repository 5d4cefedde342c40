package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.runtime.assembly.Cluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl against the default single-node profile: the commands of the foundation issue. */
class TestKubectlEndToEnd {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {app: web, tier: front}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    ports: [{containerPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, labels: {app: web}}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config, labels: {app: web}}
            data: {greeting: hello}
            """;

    private static Path dataDir;
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        dataDir = Files.createTempDirectory("kube4j-e2e");
        cluster = Profiles.start("single-node.yaml", dataDir);
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void versionAndApiResources() throws Exception {
        JsonNode v = JSON.readTree(kubectl.run("version", "-o", "json").ok().out());
        assertThat(v.path("serverVersion").path("gitVersion").asText()).startsWith("v1.32");
        String resources = kubectl.run("api-resources").ok().out();
        assertThat(resources).contains("deployments", "deploy", "apps/v1", "Deployment")
                .contains("pods", "po", "Pod").contains("leases", "coordination.k8s.io/v1");
    }

    @Test
    void componentStatuses() {
        String out = kubectl.run("get", "componentstatuses").ok().out();
        assertThat(out).contains("NAME", "STATUS").contains("etcd-0", "Healthy").contains("scheduler");
    }

    @Test
    void createNamespaceUsesProtobufAndApplyCreatesObjects() {
        assertThat(kubectl.run("create", "namespace", "e2e-apply").ok().out()).contains("namespace/e2e-apply created");
        String applied = kubectl.runWithInput(APP, "apply", "-n", "e2e-apply", "-f", "-").ok().out();
        assertThat(applied).contains("deployment.apps/web created", "service/web created", "configmap/web-config created");
        String again = kubectl.runWithInput(APP, "apply", "-n", "e2e-apply", "-f", "-").ok().out();
        assertThat(again).contains("deployment.apps/web unchanged", "service/web unchanged");
        String deployments = kubectl.run("get", "deployments", "-n", "e2e-apply").ok().out();
        assertThat(deployments.lines().findFirst().orElseThrow()).contains("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        String services = kubectl.run("get", "svc", "web", "-n", "e2e-apply").ok().out();
        assertThat(services).contains("CLUSTER-IP", "80/TCP").containsPattern("10\\.(9[6-9]|1[01][0-9])\\.");
    }

    @Test
    void getOutputFormatsAndSelectors() throws Exception {
        kubectl.run("create", "namespace", "e2e-get").ok();
        for (String name : new String[] {"a", "b", "c"}) {
            kubectl.run("run", "pod-" + name, "-n", "e2e-get", "--image=busybox", "--labels=app=" + name).ok();
        }
        JsonNode list = JSON.readTree(kubectl.run("get", "pods", "-n", "e2e-get", "-o", "json").ok().out());
        assertThat(list.path("items")).hasSize(3);
        assertThat(list.path("items").get(0).path("spec").path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(kubectl.run("get", "pod", "pod-a", "-n", "e2e-get", "-o", "yaml").ok().out())
                .contains("kind: Pod", "phase: Pending", "schedulerName: default-scheduler");
        assertThat(kubectl.run("get", "pods", "-n", "e2e-get", "-o", "wide").ok().out().lines().findFirst().orElseThrow())
                .contains("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE");
        assertThat(kubectl.run("get", "pods", "-n", "e2e-get", "-o", "jsonpath={.items[*].metadata.name}").ok().out())
                .isEqualTo("pod-a pod-b pod-c");
        assertThat(kubectl.run("get", "pods", "-n", "e2e-get", "-l", "app in (a,c)", "-o", "name").ok().out().lines())
                .containsExactly("pod/pod-a", "pod/pod-c");
        assertThat(kubectl.run("get", "pods", "-n", "e2e-get", "-l", "app notin (a),app", "-o", "name").ok().out().lines())
                .containsExactly("pod/pod-b", "pod/pod-c");
        String chunked = kubectl.run("get", "pods", "-n", "e2e-get", "--chunk-size=2", "-o", "name", "-v=6").ok().err();
        assertThat(chunked).contains("limit=2").contains("continue=");
        assertThat(kubectl.run("get", "pods", "-n", "e2e-get", "--chunk-size=2", "-o", "name").ok().out().lines()).hasSize(3);
    }

    @Test
    void watchShowsChangesLive() throws Exception {
        kubectl.run("create", "namespace", "e2e-watch").ok();
        Process watch = kubectl.start("get", "configmaps", "-n", "e2e-watch", "--watch", "-o", "name");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.startVirtualThread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process was stopped
            }
        });
        try {
            kubectl.run("create", "configmap", "live-1", "-n", "e2e-watch", "--from-literal=k=v").ok();
            assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("configmap/live-1");
            kubectl.run("label", "configmap", "live-1", "-n", "e2e-watch", "changed=yes").ok();
            assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("configmap/live-1");
        } finally {
            watch.destroy();
        }
    }

    @Test
    void patchLabelAnnotateReplaceDelete() throws Exception {
        kubectl.run("create", "namespace", "e2e-patch").ok();
        kubectl.runWithInput(APP, "apply", "-n", "e2e-patch", "-f", "-").ok();
        kubectl.run("patch", "deployment", "web", "-n", "e2e-patch", "--type=merge", "-p", "{\"spec\":{\"replicas\":5}}").ok();
        kubectl.run("patch", "deployment", "web", "-n", "e2e-patch", "--type=json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.26\"}]").ok();
        kubectl.run("patch", "deployment", "web", "-n", "e2e-patch", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}").ok();
        JsonNode d = JSON.readTree(kubectl.run("get", "deployment", "web", "-n", "e2e-patch", "-o", "json").ok().out());
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(5);
        JsonNode containers = d.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:1.26");
        assertThat(d.path("metadata").path("generation").asInt()).isEqualTo(4);

        kubectl.run("label", "configmap", "web-config", "-n", "e2e-patch", "color=blue").ok();
        kubectl.run("annotate", "configmap", "web-config", "-n", "e2e-patch", "note=hi").ok();
        JsonNode cm = JSON.readTree(kubectl.run("get", "configmap", "web-config", "-n", "e2e-patch", "-o", "json").ok().out());
        assertThat(cm.path("metadata").path("labels").path("color").asText()).isEqualTo("blue");
        assertThat(cm.path("metadata").path("annotations").path("note").asText()).isEqualTo("hi");

        String stale = kubectl.run("get", "configmap", "web-config", "-n", "e2e-patch", "-o", "yaml").ok().out();
        kubectl.run("label", "configmap", "web-config", "-n", "e2e-patch", "color=red", "--overwrite").ok();
        Kubectl.Result conflict = kubectl.runWithInput(stale, "replace", "-f", "-");
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.err()).contains("Operation cannot be fulfilled on configmaps \"web-config\"")
                .contains("the object has been modified");

        assertThat(kubectl.run("delete", "configmap", "web-config", "-n", "e2e-patch").ok().out())
                .contains("configmap \"web-config\" deleted");
        assertThat(kubectl.run("get", "configmap", "web-config", "-n", "e2e-patch").err())
                .contains("configmaps \"web-config\" not found");
    }

    @Test
    void dryRunServerSideApplyAndCreateDeployment() throws Exception {
        kubectl.run("create", "namespace", "e2e-ssa").ok();
        assertThat(kubectl.run("create", "configmap", "dry", "-n", "e2e-ssa", "--from-literal=a=b", "--dry-run=server")
                .ok().out()).contains("(server dry run)");
        assertThat(kubectl.run("get", "configmap", "dry", "-n", "e2e-ssa").exitCode()).isNotZero();

        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: e2e-ssa}\ndata: {a: \"1\"}\n";
        assertThat(kubectl.runWithInput(cm, "apply", "--server-side", "-f", "-").ok().out())
                .contains("configmap/ssa serverside-applied");
        JsonNode obj = JSON.readTree(kubectl.run("get", "configmap", "ssa", "-n", "e2e-ssa", "-o", "json",
                "--show-managed-fields").ok().out());
        assertThat(obj.path("metadata").path("managedFields").get(0).path("manager").asText()).isEqualTo("kubectl");
        assertThat(obj.path("metadata").path("managedFields").get(0).path("operation").asText()).isEqualTo("Apply");

        assertThat(kubectl.run("create", "deployment", "web", "-n", "e2e-ssa", "--image=busybox").ok().out())
                .contains("deployment.apps/web created");
        JsonNode d = JSON.readTree(kubectl.run("get", "deployment", "web", "-n", "e2e-ssa", "-o", "json").ok().out());
        assertThat(d.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("busybox");
    }

    @Test
    void explainReadsTheOpenApiDocuments() {
        String pod = kubectl.run("explain", "pod").ok().out();
        assertThat(pod).contains("KIND:       Pod", "VERSION:    v1", "FIELDS:", "spec\t<PodSpec>");
        String strategy = kubectl.run("explain", "deployment.spec.strategy").ok().out();
        assertThat(strategy).contains("GROUP:      apps", "KIND:       Deployment", "FIELD: strategy <DeploymentStrategy>",
                "rollingUpdate");
    }

    @Test
    void authCommands() {
        assertThat(kubectl.run("auth", "can-i", "create", "pods").ok().out().trim()).isEqualTo("yes");
        assertThat(kubectl.run("auth", "whoami").ok().out()).contains("kube4j-admin").contains("system:masters");
    }

    @Test
    void verboseShowsRequests() {
        String err = kubectl.run("get", "namespaces", "--v=9").ok().err();
        assertThat(err).contains("GET " + cluster.url() + "/api/v1/namespaces?limit=500 200 OK");
    }
}
