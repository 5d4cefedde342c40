package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kube4j.api.node.EnvEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestServiceEnv {
    private static Service service(String ns, String name, String ip, ServicePortBuilder... ports) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).endSpec();
        for (ServicePortBuilder p : ports) {
            b.editSpec().addToPorts(p.build()).endSpec();
        }
        return b.build();
    }

    private static ServicePortBuilder port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol);
    }

    private static Pod pod(String ns, Boolean links, Container... containers) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName("p").withUid("u").endMetadata()
                .withNewSpec().withEnableServiceLinks(links).withContainers(containers).endSpec().build();
    }

    private static final List<Service> SERVICES = List.of(
            service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")),
            service("shop", "web-front", "10.96.0.20", port(null, 80, null), port("metrics", 9090, "TCP"),
                    port("dns-udp", 53, "UDP")),
            service("shop", "headless", "None", port(null, 80, null)),
            service("shop", "outside", "", port(null, 80, null)),
            service("other", "db", "10.96.0.30", port(null, 5432, "TCP")));

    @Test
    void variablesOfTheNamespacesServicesAndTheMasterService() {
        Map<String, String> env = ServiceEnv.of(pod("shop", null), SERVICES);
        assertThat(env).containsEntry("WEB_FRONT_SERVICE_HOST", "10.96.0.20")
                .containsEntry("WEB_FRONT_SERVICE_PORT", "80")
                .containsEntry("WEB_FRONT_SERVICE_PORT_METRICS", "9090")
                .containsEntry("WEB_FRONT_SERVICE_PORT_DNS_UDP", "53")
                .containsEntry("WEB_FRONT_PORT", "tcp://10.96.0.20:80")
                .containsEntry("WEB_FRONT_PORT_80_TCP", "tcp://10.96.0.20:80")
                .containsEntry("WEB_FRONT_PORT_80_TCP_PROTO", "tcp")
                .containsEntry("WEB_FRONT_PORT_80_TCP_PORT", "80")
                .containsEntry("WEB_FRONT_PORT_80_TCP_ADDR", "10.96.0.20")
                .containsEntry("WEB_FRONT_PORT_53_UDP", "udp://10.96.0.20:53")
                .containsEntry("WEB_FRONT_PORT_53_UDP_PROTO", "udp")
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443")
                .containsEntry("KUBERNETES_PORT", "tcp://10.96.0.1:443");
        assertThat(env.keySet()).noneMatch(k -> k.startsWith("HEADLESS_") || k.startsWith("OUTSIDE_") || k.startsWith("DB_"));
        assertThat(env.keySet()).noneMatch(k -> k.equals("WEB_FRONT_SERVICE_PORT_"));
    }

    @Test
    void enableServiceLinksFalseLeavesOnlyTheMasterService() {
        Map<String, String> env = ServiceEnv.of(pod("shop", false), SERVICES);
        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        assertThat(env.keySet()).allMatch(k -> k.startsWith("KUBERNETES_"));
    }

    @Test
    void aServiceNamedKubernetesInThePodsNamespaceWins() {
        List<Service> services = List.of(service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")),
                service("shop", "kubernetes", "10.96.0.99", port(null, 8080, "TCP")));
        assertThat(ServiceEnv.of(pod("shop", null), services)).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.99")
                .containsEntry("KUBERNETES_SERVICE_PORT", "8080");
    }

    @Test
    void theContainersOwnVariablesWinAndExpansionSeesTheServices() throws Exception {
        Container c = new ContainerBuilder().withName("c").withImage("i")
                .addNewEnv().withName("WEB_FRONT_SERVICE_HOST").withValue("mine").endEnv()
                .addNewEnv().withName("URL").withValue("http://$(WEB_FRONT_SERVICE_HOST):$(WEB_FRONT_SERVICE_PORT)").endEnv()
                .withCommand("curl", "$(KUBERNETES_SERVICE_HOST)").build();
        Pod pod = pod("shop", null, c);
        ContainerEnv.Result r = ContainerEnv.make(pod, c, new ContainerEnv.PodFields("n", "10.0.0.1", List.of(), Map.of()),
                sources(ServiceEnv.of(pod, SERVICES)));
        Map<String, String> env = new LinkedHashMap<>();
        r.env().forEach(e -> env.put(e.key(), e.value()));
        assertThat(env).containsEntry("WEB_FRONT_SERVICE_HOST", "mine").containsEntry("URL", "http://mine:80")
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        assertThat(r.env().stream().map(EnvEntry::key).filter("WEB_FRONT_SERVICE_HOST"::equals)).hasSize(1);
        assertThat(r.env().getFirst().key()).isEqualTo("WEB_FRONT_SERVICE_HOST");
        assertThat(r.command()).containsExactly("curl", "10.96.0.1");
    }

    @Test
    void servicesNotYetReadAreAConfigError() {
        Container c = new ContainerBuilder().withName("c").withImage("i").build();
        ContainerEnv.Sources unread = new ContainerEnv.Sources() {
            @Override
            public Optional<ConfigMap> configMap(String name) {
                return Optional.empty();
            }

            @Override
            public Optional<Secret> secret(String name) {
                return Optional.empty();
            }

            @Override
            public Map<String, String> serviceEnv() throws ContainerEnv.ConfigException {
                throw new ContainerEnv.ConfigException("services have not yet been read at least once, cannot construct envvars");
            }
        };
        assertThatThrownBy(() -> ContainerEnv.make(pod("shop", null, c), c,
                new ContainerEnv.PodFields("n", "10.0.0.1", List.of(), Map.of()), unread))
                .isInstanceOf(ContainerEnv.ConfigException.class).hasMessageContaining("services have not yet been read");
    }

    private static ContainerEnv.Sources sources(Map<String, String> serviceEnv) {
        return new ContainerEnv.Sources() {
            @Override
            public Optional<ConfigMap> configMap(String name) {
                return Optional.empty();
            }

            @Override
            public Optional<Secret> secret(String name) {
                return Optional.empty();
            }

            @Override
            public Map<String, String> serviceEnv() {
                return serviceEnv;
            }
        };
    }
}
