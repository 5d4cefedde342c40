package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service addresses as kube-apiserver hands them out: node ports from 30000-32767, requested ones
 * honoured or refused with its 422, freed on delete and on a type change back to ClusterIP;
 * headless Services allocate nothing; cluster IPs are immutable; and the {@code default/kubernetes}
 * Service with its Endpoints and EndpointSlice.
 */
class TestServiceAddresses {
    private static Cluster cluster;
    private static Api api;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = Profiles.start("memory.yaml", Files.createTempDirectory("kube4j-svc"));
        api = new Api(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Api.Response create(String json) {
        return api.send("POST", "/api/v1/namespaces/default/services", "application/json", json);
    }

    private static String service(String name, String type, String ports) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"type\":\"" + type + "\",\"selector\":{\"app\":\"" + name + "\"},\"ports\":" + ports + "}}";
    }

    private static Api.Response delete(String name) {
        return api.send("DELETE", "/api/v1/namespaces/default/services/" + name, null, null);
    }

    @Test
    void nodePortIsAllocatedFromTheRangeAndSharedByTcpAndUdpOfOnePort() {
        Api.Response r = create(service("np-auto", "NodePort",
                "[{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"},{\"name\":\"dns-tcp\",\"port\":53,\"protocol\":\"TCP\"},"
                        + "{\"name\":\"web\",\"port\":80}]"));
        assertThat(r.code()).as("%s", r.body()).isEqualTo(201);
        JsonNode ports = r.body().path("spec").path("ports");
        int udp = ports.get(0).path("nodePort").asInt();
        assertThat(udp).isBetween(30000, 32767);
        assertThat(ports.get(1).path("nodePort").asInt()).isEqualTo(udp);
        assertThat(ports.get(2).path("nodePort").asInt()).isBetween(30000, 32767).isNotEqualTo(udp);
        assertThat(delete("np-auto").code()).isEqualTo(200);
    }

    @Test
    void requestedNodePortIsHonouredThenRefusedThenFreedOnDelete() {
        String ports = "[{\"port\":80,\"nodePort\":30080}]";
        Api.Response first = create(service("np-a", "NodePort", ports));
        assertThat(first.code()).as("%s", first.body()).isEqualTo(201);
        assertThat(first.body().path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);

        Api.Response second = create(service("np-b", "LoadBalancer", ports));
        assertThat(second.code()).isEqualTo(422);
        assertThat(second.body().path("message").asText()).isEqualTo("Service \"np-b\" is invalid: "
                + "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(second.body().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("spec.ports[0].nodePort");

        assertThat(delete("np-a").code()).isEqualTo(200);
        Api.Response third = create(service("np-b", "LoadBalancer", ports));
        assertThat(third.code()).as("%s", third.body()).isEqualTo(201);
        assertThat(delete("np-b").code()).isEqualTo(200);
    }

    @Test
    void nodePortOutOfRangeIsRefused() {
        Api.Response r = create(service("np-range", "NodePort", "[{\"port\":80,\"nodePort\":40000}]"));
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().path("message").asText()).isEqualTo("Service \"np-range\" is invalid: "
                + "spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. "
                + "The range of valid ports is 30000-32767");
    }

    @Test
    void typeChangeBackToClusterIpFreesTheNodePort() {
        Api.Response r = create(service("np-change", "NodePort", "[{\"port\":80,\"nodePort\":30081}]"));
        assertThat(r.code()).as("%s", r.body()).isEqualTo(201);
        Api.Response patched = api.send("PATCH", "/api/v1/namespaces/default/services/np-change",
                "application/merge-patch+json", "{\"spec\":{\"type\":\"ClusterIP\",\"externalTrafficPolicy\":null}}");
        assertThat(patched.code()).as("%s", patched.body()).isEqualTo(200);
        assertThat(patched.body().path("spec").path("ports").get(0).has("nodePort")).isFalse();
        Api.Response other = create(service("np-taker", "NodePort", "[{\"port\":80,\"nodePort\":30081}]"));
        assertThat(other.code()).as("%s", other.body()).isEqualTo(201);
        Api.Response back = api.send("PATCH", "/api/v1/namespaces/default/services/np-change",
                "application/merge-patch+json", "{\"spec\":{\"type\":\"NodePort\"}}");
        assertThat(back.code()).as("%s", back.body()).isEqualTo(200);
        assertThat(back.body().path("spec").path("ports").get(0).path("nodePort").asInt())
                .isBetween(30000, 32767).isNotEqualTo(30081);
        delete("np-change");
        delete("np-taker");
    }

    @Test
    void externalNameFreesTheClusterIpAndLeavingItTakesOne() {
        Api.Response r = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"to-ext\"},"
                + "\"spec\":{\"clusterIP\":\"10.96.100.120\",\"ports\":[{\"port\":80}]}}");
        assertThat(r.code()).as("%s", r.body()).isEqualTo(201);
        Api.Response ext = api.send("PATCH", "/api/v1/namespaces/default/services/to-ext", "application/merge-patch+json",
                "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"db.example.org\"}}");
        assertThat(ext.code()).as("%s", ext.body()).isEqualTo(200);
        assertThat(ext.body().path("spec").has("clusterIP")).isFalse();
        Api.Response taker = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ip-taker\"},"
                + "\"spec\":{\"clusterIP\":\"10.96.100.120\",\"ports\":[{\"port\":80}]}}");
        assertThat(taker.code()).as("%s", taker.body()).isEqualTo(201);
        Api.Response back = api.send("PATCH", "/api/v1/namespaces/default/services/to-ext", "application/merge-patch+json",
                "{\"spec\":{\"type\":\"ClusterIP\",\"externalName\":null}}");
        assertThat(back.code()).as("%s", back.body()).isEqualTo(200);
        assertThat(back.body().path("spec").path("clusterIP").asText()).startsWith("10.").isNotEqualTo("10.96.100.120");
        assertThat(back.body().path("spec").path("clusterIPs").get(0).asText())
                .isEqualTo(back.body().path("spec").path("clusterIP").asText());
        delete("to-ext");
        delete("ip-taker");
    }

    @Test
    void headlessServiceAllocatesNothing() {
        Api.Response r = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"headless\"},"
                + "\"spec\":{\"clusterIP\":\"None\",\"selector\":{\"app\":\"h\"},\"ports\":[{\"port\":80}]}}");
        assertThat(r.code()).as("%s", r.body()).isEqualTo(201);
        assertThat(r.body().path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(r.body().path("spec").path("clusterIPs").get(0).asText()).isEqualTo("None");
        assertThat(r.body().path("spec").path("ports").get(0).has("nodePort")).isFalse();
        delete("headless");
    }

    @Test
    void clusterIpIsImmutableAndFreedOnDelete() {
        Api.Response r = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"fixed-ip\"},"
                + "\"spec\":{\"clusterIP\":\"10.96.100.100\",\"ports\":[{\"port\":80}]}}");
        assertThat(r.code()).as("%s", r.body()).isEqualTo(201);
        Api.Response changed = api.send("PATCH", "/api/v1/namespaces/default/services/fixed-ip",
                "application/merge-patch+json", "{\"spec\":{\"clusterIP\":\"10.96.100.101\",\"clusterIPs\":[\"10.96.100.101\"]}}");
        assertThat(changed.code()).isEqualTo(422);
        assertThat(changed.body().path("message").asText()).contains("spec.clusterIPs[0]").contains("may not change once set");
        Api.Response taken = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"same-ip\"},"
                + "\"spec\":{\"clusterIP\":\"10.96.100.100\",\"ports\":[{\"port\":80}]}}");
        assertThat(taken.code()).isEqualTo(422);
        assertThat(taken.body().path("message").asText()).contains("provided IP is already allocated");
        assertThat(delete("fixed-ip").code()).isEqualTo(200);
        Api.Response again = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"same-ip\"},"
                + "\"spec\":{\"clusterIP\":\"10.96.100.100\",\"ports\":[{\"port\":80}]}}");
        assertThat(again.code()).as("%s", again.body()).isEqualTo(201);
        delete("same-ip");
    }

    @Test
    void portsAreValidatedWithKubeApiserversFieldPaths() {
        Api.Response r = create(service("bad-ports", "ClusterIP",
                "[{\"port\":0},{\"name\":\"b\",\"port\":80,\"protocol\":\"ICMP\"},{\"name\":\"b\",\"port\":81,"
                        + "\"targetPort\":\"no_such\"}]"));
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().path("details").path("causes").findValuesAsText("field")).contains(
                "spec.ports[0].name", "spec.ports[0].port", "spec.ports[1].protocol", "spec.ports[2].name",
                "spec.ports[2].targetPort");
        assertThat(r.body().path("message").asText())
                .contains("spec.ports[0].name: Required value")
                .contains("spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")
                .contains("spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")
                .contains("spec.ports[2].name: Duplicate value: \"b\"");
        Api.Response dup = create(service("dup-ports", "ClusterIP",
                "[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":80}]"));
        assertThat(dup.code()).isEqualTo(422);
        assertThat(dup.body().path("details").path("causes").get(0).path("field").asText()).isEqualTo("spec.ports[1]");
    }

    @Test
    void kubernetesServicePointsAtThisApiServer() {
        JsonNode svc = api.send("GET", "/api/v1/namespaces/default/services/kubernetes", null, null).body();
        assertThat(svc.path("spec").path("clusterIP").asText()).isEqualTo("10.96.0.1");
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
        int port = cluster.url().getPort();
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(port);
        JsonNode ep = api.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes", null, null).body();
        assertThat(ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ep.path("subsets").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(port);
        JsonNode slice = api.send("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes",
                null, null).body();
        assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asText()).isEqualTo("kubernetes");
        assertThat(slice.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(slice.path("ports").get(0).path("port").asInt()).isEqualTo(port);

        Kubectl.Result get = kubectl.run("get", "svc", "kubernetes").ok();
        assertThat(get.out()).contains("kubernetes").contains("ClusterIP").contains("10.96.0.1").contains("443/TCP");
    }

    @Test
    void kubectlCreateServiceNodePort() {
        kubectl.run("create", "service", "nodeport", "kc-np", "--tcp=8080:80", "--node-port=30090").ok();
        Kubectl.Result get = kubectl.run("get", "svc", "kc-np").ok();
        assertThat(get.out()).contains("NodePort").contains("8080:30090/TCP");
        Kubectl.Result again = kubectl.run("create", "service", "nodeport", "kc-np2", "--tcp=8080:80", "--node-port=30090");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("spec.ports[0].nodePort: Invalid value: 30090: provided port is already allocated");
        kubectl.run("delete", "svc", "kc-np").ok();
        kubectl.run("create", "service", "nodeport", "kc-np2", "--tcp=8080:80", "--node-port=30090").ok();
        kubectl.run("delete", "svc", "kc-np2").ok();
    }
}
