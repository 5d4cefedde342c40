package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet controller on the default profile: its pods really run on node-1 (the kubelet marks them
 * Ready), driven with kubectl: ordered start, rollout status, a rolling update, history, undo and scale down.
 */
class TestStatefulSetController {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed");
        cluster = Profiles.start("single-node.yaml", Files.createTempDirectory("kube4j-statefulsets"));
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String get(String what, String jsonpath) {
        return kubectl.run("get", what, "-o", "jsonpath=" + jsonpath).ok().out();
    }

    private List<String> podsWithRevision() {
        String out = get("pods", "{range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash};{end}");
        return out.isEmpty() ? List.of() : Arrays.stream(out.split(";")).sorted().toList();
    }

    @Test
    void orderedStartRollingUpdateHistoryUndoAndScaleDown() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: nginx}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  replicas: 3
                  serviceName: nginx
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
                """, "apply", "-f", "-").ok();
        assertThat(kubectl.run("rollout", "status", "statefulset/web", "--timeout=90s").ok().out())
                .contains("partitioned roll out complete: 3 new pods have been updated");
        assertThat(get("pods", "{.items[*].metadata.name}")).isEqualTo("web-0 web-1 web-2");
        for (int i = 1; i < 3; i++) {
            Instant previousReady = Instant.parse(get("pod/web-" + (i - 1), "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
            Instant created = Instant.parse(get("pod/web-" + i, "{.metadata.creationTimestamp}"));
            assertThat(created).as("web-%d made once web-%d was Ready", i, i - 1).isAfterOrEqualTo(previousReady);
        }
        assertThat(get("pod/web-1", "{.spec.hostname}.{.spec.subdomain} {.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}"
                + " {.metadata.labels.apps\\.kubernetes\\.io/pod-index}")).isEqualTo("web-1.nginx web-1 1");
        String first = get("sts/web", "{.status.updateRevision}");
        assertThat(get("sts/web", "{.status.currentRevision} {.status.replicas} {.status.readyReplicas} {.status.currentReplicas}"
                + " {.status.updatedReplicas} {.status.availableReplicas}")).isEqualTo(first + " 3 3 3 3 3");
        assertThat(kubectl.run("get", "controllerrevisions").ok().out()).containsPattern(first + "\\s+statefulset.apps/web\\s+1");
        Clients.await("the headless Service's endpoints name the pods", WAIT, () -> get("endpoints/nginx",
                "{.subsets[*].addresses[*].hostname}").split(" ").length == 3);

        kubectl.run("set", "env", "statefulset/web", "COLOR=blue").ok();
        assertThat(kubectl.run("rollout", "status", "statefulset/web", "--timeout=90s").ok().out())
                .contains("partitioned roll out complete: 3 new pods have been updated");
        String second = get("sts/web", "{.status.updateRevision}");
        assertThat(second).isNotEqualTo(first);
        Clients.await("every pod at the new revision", WAIT, () -> podsWithRevision()
                .equals(List.of("web-0=" + second, "web-1=" + second, "web-2=" + second)));
        assertThat(get("pod/web-0", "{.spec.containers[0].env[0].value}")).isEqualTo("blue");
        Clients.await("current revision moved", WAIT, () -> get("sts/web", "{.status.currentRevision}").equals(second));
        assertThat(kubectl.run("rollout", "history", "statefulset/web").ok().out()).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

        assertThat(kubectl.run("rollout", "undo", "statefulset/web").ok().out()).contains("statefulset.apps/web rolled back");
        assertThat(kubectl.run("rollout", "status", "statefulset/web", "--timeout=90s").ok().out()).contains("roll out complete");
        Clients.await("every pod back at the first revision", WAIT, () -> podsWithRevision()
                .equals(List.of("web-0=" + first, "web-1=" + first, "web-2=" + first)));
        assertThat(get("pod/web-0", "{.spec.containers[0].env}")).isEmpty();
        assertThat(get("controllerrevision/" + first, "{.revision}")).as("the old revision, renumbered").isEqualTo("3");

        kubectl.run("scale", "statefulset/web", "--replicas=1").ok();
        Clients.await("only web-0 left", WAIT, () -> get("pods", "{.items[*].metadata.name}").equals("web-0"));
        Clients.await("status", WAIT, () -> get("sts/web", "{.status.replicas}/{.status.readyReplicas}").equals("1/1"));

        kubectl.run("delete", "statefulset", "web").ok();
        Clients.await("pods and revisions collected", WAIT, () -> get("pods", "{.items[*].metadata.name}").isEmpty()
                && get("controllerrevisions", "{.items[*].metadata.name}").isEmpty());
    }
}
