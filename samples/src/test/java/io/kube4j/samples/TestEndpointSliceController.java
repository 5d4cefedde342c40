package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller against a real API server without nodes: the tests give pods IPs and readiness. */
class TestEndpointSliceController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "eps";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNamespaceController.startWithControllers("kube4j-endpointslices");
        client = Clients.admin(cluster);
        client.create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build());
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

    private static Pod pod(String name, String app, String ip, boolean ready, boolean finalizer) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(NS).withName(name).addToLabels("app", app)
                .endMetadata().withNewSpec().withNodeName("node-x").addNewContainer().withName("c").withImage("busybox")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec();
        if (finalizer) {
            b.editMetadata().addToFinalizers("test.kube4j.io/hold").endMetadata();
        }
        Pod created = client.create(b.build());
        return client.updateStatus(new PodBuilder(created).editOrNewStatus().withPhase("Running").withPodIP(ip)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .endStatus().build());
    }

    private static Service service(String name, String app) {
        return client.create(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName(name).addToLabels("team", "b")
                .endMetadata().withNewSpec().addToSelector("app", app).addNewPort().withName("web").withPort(80)
                .withTargetPort(new IntOrString("http")).endPort().endSpec().build());
    }

    private static List<EndpointSlice> slices(String service) {
        return client.list(EndpointSlice.class, ListOptions.inNamespace(NS).withLabelSelector("kubernetes.io/service-name=" + service))
                .items();
    }

    private static List<Endpoint> endpoints(String service) {
        return slices(service).stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
                : s.getEndpoints().stream()).toList();
    }

    private static Endpoint endpointOf(String service, String pod) {
        return endpoints(service).stream().filter(e -> e.getTargetRef().getName().equals(pod)).findFirst().orElse(null);
    }

    @Test
    void aHundredAndFiftyPodsMakeTwoLabelledOwnedSlices() throws Exception {
        for (int i = 0; i < 150; i++) {
            pod("many-" + i, "many", "10.9." + (i / 200) + "." + (i % 200 + 1), true, false);
        }
        Service svc = service("many", "many");
        Clients.await("150 endpoints", WAIT, () -> endpoints("many").size() == 150);
        List<EndpointSlice> slices = slices("many");
        assertThat(slices).hasSize(2);
        assertThat(slices.stream().map(s -> s.getEndpoints().size()).sorted().toList()).containsExactly(50, 100);
        for (EndpointSlice slice : slices) {
            assertThat(slice.getMetadata().getName()).startsWith("many-");
            assertThat(slice.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
                    "endpointslice-controller.k8s.io").containsEntry("team", "b");
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("web");
                assertThat(p.getPort()).isEqualTo(8080);
            });
            assertThat(slice.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getKind()).isEqualTo("Service");
                assertThat(r.getUid()).isEqualTo(svc.getMetadata().getUid());
            });
        }
        for (int i = 0; i < 120; i++) {
            client.delete(Pod.class, NS, "many-" + i, DeleteOptions.gracePeriod(0));
        }
        Clients.await("30 endpoints left", WAIT, () -> endpoints("many").size() == 30);
        Clients.await("in one slice", WAIT, () -> slices("many").size() == 1);

        client.delete(Service.class, NS, "many", DeleteOptions.DEFAULT);
        Clients.await("slices collected with their Service", WAIT, () -> slices("many").isEmpty());
    }

    @Test
    void conditionsReadyServingTerminating() throws Exception {
        pod("cond-ready", "cond", "10.8.0.1", true, false);
        pod("cond-unready", "cond", "10.8.0.2", false, false);
        pod("cond-leaving", "cond", "10.8.0.3", true, true);
        service("cond", "cond");
        Clients.await("3 endpoints", WAIT, () -> endpoints("cond").size() == 3);
        client.delete(Pod.class, NS, "cond-leaving", DeleteOptions.DEFAULT);
        Clients.await("terminating", WAIT, () -> Objects.requireNonNullElse(endpointOf("cond", "cond-leaving"), new Endpoint())
                .getConditions() != null && Boolean.TRUE.equals(endpointOf("cond", "cond-leaving").getConditions().getTerminating()));
        Endpoint leaving = endpointOf("cond", "cond-leaving");
        assertThat(leaving.getConditions().getReady()).isFalse();
        assertThat(leaving.getConditions().getServing()).isTrue();
        Endpoint ready = endpointOf("cond", "cond-ready");
        assertThat(ready.getConditions().getReady()).isTrue();
        assertThat(ready.getConditions().getServing()).isTrue();
        assertThat(ready.getConditions().getTerminating()).isFalse();
        assertThat(ready.getNodeName()).isEqualTo("node-x");
        assertThat(ready.getAddresses()).containsExactly("10.8.0.1");
        Endpoint unready = endpointOf("cond", "cond-unready");
        assertThat(unready.getConditions().getReady()).isFalse();
        assertThat(unready.getConditions().getServing()).isFalse();

        Pod leavingPod = client.get(Pod.class, NS, "cond-leaving").orElseThrow();
        leavingPod.getMetadata().setFinalizers(List.of());
        client.update(leavingPod);
        // no kubelet ends its grace period: force it
        client.delete(Pod.class, NS, "cond-leaving", DeleteOptions.gracePeriod(0));
        Clients.await("gone once the pod is", WAIT, () -> endpoints("cond").size() == 2);
    }

    @Test
    void aServiceWithoutPodsHasOnePlaceholderSliceAndOneWithoutSelectorHasNone() throws Exception {
        service("empty", "nothing");
        Clients.await("a placeholder", WAIT, () -> slices("empty").size() == 1);
        EndpointSlice placeholder = slices("empty").get(0);
        assertThat(placeholder.getEndpoints()).isNullOrEmpty();
        assertThat(placeholder.getPorts()).isNullOrEmpty();

        client.create(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("noselector").endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build());
        Thread.sleep(500);
        assertThat(slices("noselector")).isEmpty();
        Thread.sleep(500);
        assertThat(slices("empty")).as("still just the placeholder").hasSize(1);
    }
}
