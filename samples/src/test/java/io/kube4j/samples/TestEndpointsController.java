package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.runtime.assembly.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Endpoints controller against a real API server without nodes: the tests give pods IPs and readiness. */
class TestEndpointsController {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "ep";
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestNamespaceController.startWithControllers("kube4j-endpoints");
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

    static Pod pod(String name, String app, String ip, boolean ready) {
        Pod created = client.create(new PodBuilder().withNewMetadata().withNamespace(NS).withName(name).addToLabels("app", app)
                .endMetadata().withNewSpec().withNodeName("node-x").addNewContainer().withName("c").withImage("busybox")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build());
        return setStatus(created, ip, ready);
    }

    static Pod setStatus(Pod pod, String ip, boolean ready) {
        Pod live = client.get(Pod.class, NS, pod.getMetadata().getName()).orElseThrow();
        return client.updateStatus(new PodBuilder(live).editOrNewStatus().withPhase("Running").withPodIP(ip)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .endStatus().build());
    }

    private static Service service(String name, String app, IntOrString targetPort, boolean publishNotReady) {
        return client.create(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName(name).addToLabels("team", "a")
                .endMetadata().withNewSpec().addToSelector("app", app).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("web").withPort(80).withTargetPort(targetPort).endPort().endSpec().build());
    }

    private static Optional<Endpoints> endpoints(String name) {
        return client.get(Endpoints.class, NS, name);
    }

    private static List<String> ips(String name, boolean ready) {
        return endpoints(name).map(e -> e.getSubsets() == null ? List.<String>of() : e.getSubsets().stream()
                .flatMap(s -> (ready ? s.getAddresses() : s.getNotReadyAddresses()) == null ? java.util.stream.Stream.<EndpointAddress>empty()
                        : (ready ? s.getAddresses() : s.getNotReadyAddresses()).stream())
                .map(EndpointAddress::getIp).sorted().toList()).orElse(List.of());
    }

    @Test
    void readyAndNotReadyAddressesFollowThePods() throws Exception {
        Pod a = pod("web-a", "web", "10.1.0.1", true);
        Pod b = pod("web-b", "web", "10.1.0.2", false);
        pod("other", "other", "10.1.0.9", true);
        client.create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("web-noip").addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build());
        service("web", "web", new IntOrString("http"), false);

        Clients.await("10.1.0.1 ready, 10.1.0.2 not ready", WAIT,
                () -> ips("web", true).equals(List.of("10.1.0.1")) && ips("web", false).equals(List.of("10.1.0.2")));
        Endpoints ep = endpoints("web").orElseThrow();
        assertThat(ep.getMetadata().getLabels()).containsEntry("team", "a");
        EndpointSubset subset = ep.getSubsets().get(0);
        assertThat(subset.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("web");
            assertThat(p.getPort()).as("the container port named http").isEqualTo(8080);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        EndpointAddress address = subset.getAddresses().get(0);
        assertThat(address.getNodeName()).isEqualTo("node-x");
        assertThat(address.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(address.getTargetRef().getName()).isEqualTo("web-a");
        assertThat(address.getTargetRef().getUid()).isEqualTo(a.getMetadata().getUid());

        setStatus(b, "10.1.0.2", true);
        Clients.await("both ready", WAIT, () -> ips("web", true).equals(List.of("10.1.0.1", "10.1.0.2")) && ips("web", false).isEmpty());

        Pod relabelled = client.get(Pod.class, NS, "web-a").orElseThrow();
        relabelled.getMetadata().getLabels().put("app", "moved");
        client.update(relabelled);
        Clients.await("web-a left when its label changed", WAIT, () -> ips("web", true).equals(List.of("10.1.0.2")));

        client.delete(Pod.class, NS, "web-b", DeleteOptions.gracePeriod(0));
        Clients.await("no address left", WAIT, () -> endpoints("web").map(e -> e.getSubsets() == null || e.getSubsets().isEmpty()).orElse(false));

        client.delete(Endpoints.class, NS, "web", DeleteOptions.DEFAULT);
        Clients.await("deleted Endpoints come back", WAIT, () -> endpoints("web").isPresent());
        client.delete(Service.class, NS, "web", DeleteOptions.DEFAULT);
        Clients.await("the Service's Endpoints go with it", WAIT, () -> endpoints("web").isEmpty());
    }

    @Test
    void numericTargetPortsAndPublishNotReadyAddresses() throws Exception {
        pod("pub-a", "pub", "10.2.0.1", false);
        service("pub", "pub", new IntOrString(9000), true);
        Clients.await("the not-ready pod published as ready", WAIT, () -> ips("pub", true).equals(List.of("10.2.0.1")));
        assertThat(endpoints("pub").orElseThrow().getSubsets().get(0).getPorts().get(0).getPort()).isEqualTo(9000);
    }

    @Test
    void aPodWithoutTheNamedPortIsLeftOut() throws Exception {
        pod("named-a", "named", "10.3.0.1", true);
        service("named", "named", new IntOrString("grpc"), false);
        Clients.await("Endpoints made", WAIT, () -> endpoints("named").isPresent());
        Thread.sleep(300);
        assertThat(ips("named", true)).isEmpty();
    }

    @Test
    void servicesWithoutSelectorsAreLeftAlone() throws Exception {
        client.create(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("manual").endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build());
        client.create(new EndpointsBuilder().withNewMetadata().withNamespace(NS).withName("manual").endMetadata().addNewSubset()
                .addNewAddress().withIp("192.168.5.5").endAddress().addNewPort().withPort(80).endPort().endSubset().build());
        pod("manual-pod", "manual", "10.4.0.1", true);
        Thread.sleep(1000);
        assertThat(ips("manual", true)).containsExactly("192.168.5.5");
    }
}
