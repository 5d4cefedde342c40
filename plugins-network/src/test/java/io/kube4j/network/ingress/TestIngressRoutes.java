package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestIngressRoutes {

    private static Ingress ingress(String name, String created, String host, String... pathTypeAndPathAndService) {
        IngressBuilder builder = new IngressBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withCreationTimestamp(created).endMetadata();
        var rule = builder.withNewSpec().addNewRule().withHost(host).withNewHttp();
        for (int i = 0; i < pathTypeAndPathAndService.length; i += 3) {
            rule = rule.addNewPath().withPathType(pathTypeAndPathAndService[i]).withPath(pathTypeAndPathAndService[i + 1])
                    .withNewBackend().withNewService().withName(pathTypeAndPathAndService[i + 2]).withNewPort()
                    .withNumber(80).endPort().endService().endBackend().endPath();
        }
        return rule.endHttp().endRule().endSpec().build();
    }

    private static Optional<String> service(IngressRoutes routes, String host, String path) {
        return routes.route(host, path).map(IngressRoutes.Backend::service);
    }

    @Test
    void hostsAreMatchedExactlyThenByWildcardThenRulesWithoutHost() {
        IngressRoutes routes = IngressRoutes.of(List.of(
                ingress("a", "2026-01-01T00:00:00Z", "foo.example.com", "Prefix", "/", "foo"),
                ingress("b", "2026-01-01T00:00:01Z", "*.example.com", "Prefix", "/", "wild"),
                ingress("c", "2026-01-01T00:00:02Z", null, "Prefix", "/", "any")));

        assertThat(service(routes, "foo.example.com", "/x")).contains("foo");
        assertThat(service(routes, "FOO.example.com:8080", "/x")).contains("foo");
        assertThat(service(routes, "bar.example.com", "/")).contains("wild");
        // A wildcard covers one label only.
        assertThat(service(routes, "a.bar.example.com", "/")).contains("any");
        assertThat(service(routes, "example.com", "/")).contains("any");
        assertThat(service(routes, "", "/")).contains("any");
    }

    @Test
    void theLongestPathWinsAndExactBeatsPrefixOfTheSameLength() {
        IngressRoutes routes = IngressRoutes.of(List.of(ingress("a", "2026-01-01T00:00:00Z", "h",
                "Prefix", "/", "root", "Prefix", "/api", "api", "Exact", "/api", "exact",
                "Prefix", "/api/v2/", "v2", "ImplementationSpecific", "/static", "static")));

        assertThat(service(routes, "h", "/api")).contains("exact");
        assertThat(service(routes, "h", "/api/")).contains("api");
        assertThat(service(routes, "h", "/api/users")).contains("api");
        assertThat(service(routes, "h", "/api/v2")).contains("v2");
        assertThat(service(routes, "h", "/api/v2/x")).contains("v2");
        // Prefix matches whole path elements.
        assertThat(service(routes, "h", "/apis")).contains("root");
        assertThat(service(routes, "h", "/static/app.js")).contains("static");
        assertThat(service(routes, "h", "")).contains("root");
    }

    @Test
    void withoutAMatchTheOldestDefaultBackendServesOrNothing() {
        Ingress older = new IngressBuilder(ingress("old", "2026-01-01T00:00:00Z", "h", "Exact", "/only", "only"))
                .editSpec().withNewDefaultBackend().withNewService().withName("fallback-old").withNewPort().withName("http")
                .endPort().endService().endDefaultBackend().endSpec().build();
        Ingress newer = new IngressBuilder(ingress("new", "2026-01-02T00:00:00Z", "other"))
                .editSpec().withNewDefaultBackend().withNewService().withName("fallback-new").withNewPort().withNumber(80)
                .endPort().endService().endDefaultBackend().endSpec().build();

        IngressRoutes routes = IngressRoutes.of(List.of(newer, older));

        assertThat(service(routes, "h", "/only")).contains("only");
        IngressRoutes.Backend fallback = routes.route("h", "/only/not").orElseThrow();
        assertThat(fallback.service()).isEqualTo("fallback-old");
        assertThat(fallback.portName()).isEqualTo("http");
        assertThat(fallback.portNumber()).isZero();
        assertThat(service(routes, "unknown", "/")).contains("fallback-old");
        assertThat(IngressRoutes.of(List.of(ingress("x", "2026-01-01T00:00:00Z", "h", "Exact", "/a", "a")))
                .route("h", "/b")).isEmpty();
        assertThat(IngressRoutes.empty().route("h", "/")).isEmpty();
    }
}
