package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default profile's controller-manager driven with the real kubectl. */
class TestControllersEndToEnd {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static Kubectl kubectl;

    static String replicaSet(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: c, image: busybox}]}
                """.formatted(name, replicas);
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-controllers-e2e"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String pods(String namespace, String app) {
        return kubectl.run("get", "pods", "-n", namespace, "-l", "app=" + app, "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].kind};{end}").ok().out();
    }

    private int podCount(String namespace, String app) {
        String out = pods(namespace, app);
        return out.isEmpty() ? 0 : out.split(";").length;
    }

    @Test
    void controllerManagerIsHealthyAndHoldsItsLease() throws Exception {
        Clients.await("controller-manager Healthy", WAIT, () -> kubectl.run("get", "componentstatuses").out().lines()
                .anyMatch(l -> l.startsWith("controller-manager") && l.contains("Healthy") && !l.contains("Unhealthy")));
        assertThat(kubectl.run("get", "lease", "kube-controller-manager", "-n", "kube-system",
                "-o", "jsonpath={.spec.holderIdentity}").ok().out()).isNotEmpty();
    }

    @Test
    void deletingANamespaceReturnsAndTheNamespaceIsGone() throws Exception {
        kubectl.run("create", "namespace", "x").ok();
        Clients.await("default service account in x", WAIT,
                () -> kubectl.run("get", "sa", "default", "-n", "x").exitCode() == 0);
        kubectl.run("create", "configmap", "-n", "x", "c", "--from-literal=k=v").ok();
        kubectl.runWithInput(replicaSet("web", 2), "apply", "-n", "x", "-f", "-").ok();
        Clients.await("pods in x", WAIT, () -> podCount("x", "web") == 2);
        assertThat(kubectl.run("delete", "namespace", "x").ok().out()).contains("namespace \"x\" deleted");
        Kubectl.Result get = kubectl.run("get", "namespace", "x");
        assertThat(get.exitCode()).isNotZero();
        assertThat(get.err()).contains("NotFound");
    }

    @Test
    void aDeploymentOfThreeGetsAReplicaSetAndThreePodsAndDeletesInTheForeground() throws Exception {
        kubectl.run("create", "namespace", "deploy").ok();
        kubectl.run("create", "deployment", "web", "-n", "deploy", "--image=nginx", "--replicas=3").ok();
        Clients.await("3 pods", WAIT, () -> podCount("deploy", "web") == 3);
        String rs = kubectl.run("get", "rs", "-n", "deploy", "-l", "app=web", "-o",
                "jsonpath={.items[0].metadata.name} {.items[0].metadata.ownerReferences[0].kind}").ok().out();
        assertThat(rs).startsWith("web-").endsWith(" Deployment");
        Clients.await("deployment status", WAIT, () -> kubectl.run("get", "deploy", "web", "-n", "deploy",
                "-o", "jsonpath={.status.replicas}/{.status.updatedReplicas}").out().equals("3/3"));
        assertThat(kubectl.run("get", "deploy", "web", "-n", "deploy", "-o",
                "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}").ok().out()).isEqualTo("1");
        kubectl.run("delete", "deployment", "web", "-n", "deploy", "--cascade=foreground").ok();
        assertThat(kubectl.run("get", "rs", "-n", "deploy", "-o", "name").ok().out()).as("the ReplicaSet went first").isEmpty();
        assertThat(podCount("deploy", "web")).isZero();
    }

    @Test
    void aReplicaSetOfThreeGetsThreePodsAndCascadesAsKubernetes() throws Exception {
        kubectl.run("create", "namespace", "cascade").ok();
        for (String mode : new String[] {"foreground", "background", "orphan"}) {
            String name = "rs-" + mode;
            kubectl.runWithInput(replicaSet(name, 3), "apply", "-n", "cascade", "-f", "-").ok();
            Clients.await(name + " has 3 pods", WAIT, () -> podCount("cascade", name) == 3);
            assertThat(pods("cascade", name)).contains(name + "-").contains("ReplicaSet");
            Clients.await(name + " status", WAIT, () -> kubectl.run("get", "rs", name, "-n", "cascade",
                    "-o", "jsonpath={.status.replicas}").out().equals("3"));
            String out = kubectl.run("delete", "rs", name, "-n", "cascade", "--cascade=" + mode).ok().out();
            assertThat(out).contains("replicaset.apps \"" + name + "\" deleted");
            assertThat(kubectl.run("get", "rs", name, "-n", "cascade").exitCode()).isNotZero();
            switch (mode) {
                case "foreground" -> assertThat(podCount("cascade", name)).as("pods went first").isZero();
                case "background" -> Clients.await(name + " pods collected", WAIT, () -> podCount("cascade", name) == 0);
                default -> {
                    Thread.sleep(500);
                    assertThat(pods("cascade", name).split(";")).hasSize(3).allSatisfy(p -> assertThat(p).doesNotContain("ReplicaSet"));
                }
            }
        }
    }

    @Test
    void exposedDeploymentRunningOnNode1HasItsPodsInTheEndpoints() throws Exception {
        kubectl.run("create", "namespace", "svc").ok();
        kubectl.run("create", "deployment", "echo", "-n", "svc", "--image=busybox", "--replicas=2", "--", "sleep", "3600").ok();
        kubectl.run("expose", "deployment", "echo", "-n", "svc", "--port=80", "--target-port=8080").ok();
        Clients.await("2 ready addresses", WAIT, () -> kubectl.run("get", "endpoints", "echo", "-n", "svc", "-o",
                "jsonpath={range .subsets[*].addresses[*]}{.ip} {.nodeName} {.targetRef.kind};{end}").out()
                .equals("127.0.0.1 node-1 Pod;127.0.0.1 node-1 Pod;"));
        assertThat(kubectl.run("get", "endpoints", "echo", "-n", "svc").ok().out())
                .contains("127.0.0.1:8080,127.0.0.1:8080");
        Clients.await("an EndpointSlice with both", WAIT, () -> kubectl.run("get", "endpointslices", "-n", "svc", "-l",
                "kubernetes.io/service-name=echo", "-o", "jsonpath={range .items[*].endpoints[*]}{.conditions.ready};{end}")
                .out().equals("true;true;"));
        kubectl.run("delete", "namespace", "svc").ok();
    }

    @Test
    void aDaemonSetRunsItsPodOnNode1AndRolloutStatusReturns() throws Exception {
        kubectl.run("create", "namespace", "daemons").ok();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: c, image: busybox, command: [sleep, "3600"]}]}
                """, "apply", "-n", "daemons", "-f", "-").ok();
        assertThat(kubectl.run("rollout", "status", "ds/agent", "-n", "daemons", "--timeout=60s").ok().out())
                .contains("daemon set \"agent\" successfully rolled out");
        assertThat(kubectl.run("get", "pods", "-n", "daemons", "-o", "jsonpath={.items[*].spec.nodeName} {.items[*].status.phase}")
                .ok().out()).isEqualTo("node-1 Running");
        kubectl.run("delete", "namespace", "daemons").ok();
    }
}
