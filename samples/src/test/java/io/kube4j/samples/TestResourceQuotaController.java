package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.kube4j.api.client.ApiClient;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code resourcequota} controller and the {@code ResourceQuota} admission plugin of the default
 * profile, driven with the real kubectl ({@code kubectl create quota}, {@code kubectl run}); without
 * nodes, so pods stay Pending and count.
 */
class TestResourceQuotaController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static ApiClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.startWithoutNodes("single-node.yaml", Files.createTempDirectory("kube4j-quota"));
        client = Clients.admin(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, String> used(String namespace, String name) {
        ResourceQuota quota = client.get(ResourceQuota.class, namespace, name).orElseThrow();
        Map<String, String> result = new TreeMap<>();
        if (quota.getStatus() != null && quota.getStatus().getUsed() != null) {
            quota.getStatus().getUsed().forEach((k, v) -> result.put(k, v.toString()));
        }
        return result;
    }

    @Test
    void objectCountsAreTrackedAndACreateOverTheQuotaIsForbidden() throws Exception {
        kubectl.run("create", "namespace", "rq").ok();
        kubectl.run("create", "quota", "pods-q", "--hard=pods=2,configmaps=3,count/deployments.apps=1", "-n", "rq").ok();
        kubectl.run("create", "configmap", "one", "--from-literal=a=b", "-n", "rq").ok();
        int configMaps = client.list(io.fabric8.kubernetes.api.model.ConfigMap.class,
                io.kube4j.api.client.ListOptions.inNamespace("rq")).items().size();
        Clients.await("usage counted", WAIT, () -> used("rq", "pods-q").equals(Map.of("pods", "0",
                "configmaps", String.valueOf(configMaps), "count/deployments.apps", "0")));
        ResourceQuota quota = client.get(ResourceQuota.class, "rq", "pods-q").orElseThrow();
        assertThat(quota.getStatus().getHard()).containsEntry("pods", new Quantity("2"));

        kubectl.run("run", "a", "--image=busybox", "--restart=Never", "-n", "rq").ok();
        kubectl.run("run", "b", "--image=busybox", "--restart=Never", "-n", "rq").ok();
        Clients.await("two pods used", WAIT, () -> "2".equals(used("rq", "pods-q").get("pods")));
        Kubectl.Result third = kubectl.run("run", "c", "--image=busybox", "--restart=Never", "-n", "rq");
        assertThat(third.exitCode()).isNotZero();
        assertThat(third.err()).contains("Error from server (Forbidden): pods \"c\" is forbidden: exceeded quota: pods-q, "
                + "requested: pods=1, used: pods=2, limited: pods=2");
        assertThat(kubectl.run("get", "quota", "pods-q", "-n", "rq", "--no-headers").ok().out()).contains("pods: 2/2");

        // No replicas: its pods would take the room the last step frees.
        kubectl.run("create", "deployment", "web", "--image=busybox", "--replicas=0", "-n", "rq").ok();
        Clients.await("a deployment used", WAIT, () -> "1".equals(used("rq", "pods-q").get("count/deployments.apps")));
        Kubectl.Result secondDeployment = kubectl.run("create", "deployment", "api", "--image=busybox", "-n", "rq");
        assertThat(secondDeployment.err()).contains("exceeded quota: pods-q, requested: count/deployments.apps=1, "
                + "used: count/deployments.apps=1, limited: count/deployments.apps=1");

        kubectl.run("delete", "pod", "a", "-n", "rq").ok();
        Clients.await("one pod used", WAIT, () -> "1".equals(used("rq", "pods-q").get("pods")));
        kubectl.run("run", "c", "--image=busybox", "--restart=Never", "-n", "rq").ok();
    }

    @Test
    void computeOfPodsThatAreNotFinishedCounts() throws Exception {
        kubectl.run("create", "namespace", "rq-compute").ok();
        kubectl.run("create", "quota", "compute", "--hard=requests.cpu=1,requests.memory=1Gi,limits.memory=2Gi", "-n", "rq-compute").ok();
        Clients.await("status written", WAIT, () -> used("rq-compute", "compute").equals(Map.of("requests.cpu", "0",
                "requests.memory", "0", "limits.memory", "0")));
        Kubectl.Result bare = kubectl.run("run", "bare", "--image=busybox", "--restart=Never", "-n", "rq-compute");
        assertThat(bare.err()).contains("failed quota: compute: must specify limits.memory for: bare; requests.cpu for: bare; "
                + "requests.memory for: bare");
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: rq-compute}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources:
                      requests: {cpu: 300m, memory: 128Mi}
                      limits: {memory: 256Mi}
                """;
        kubectl.runWithInput(pod.formatted("one"), "apply", "-f", "-").ok();
        kubectl.runWithInput(pod.formatted("two"), "apply", "-f", "-").ok();
        Clients.await("two pods counted", WAIT, () -> used("rq-compute", "compute").equals(Map.of("requests.cpu", "600m",
                "requests.memory", "256Mi", "limits.memory", "512Mi")));
        Kubectl.Result describe = kubectl.run("describe", "quota", "compute", "-n", "rq-compute").ok();
        assertThat(describe.out()).containsPattern("requests.cpu\\s+600m\\s+1");

        Pod finished = client.get(Pod.class, "rq-compute", "one").orElseThrow();
        finished.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
        client.updateStatus(finished);
        Clients.await("a finished pod no longer counts", WAIT, () -> used("rq-compute", "compute").equals(Map.of(
                "requests.cpu", "300m", "requests.memory", "128Mi", "limits.memory", "256Mi")));
    }
}
