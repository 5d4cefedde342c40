package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.runtime.proxy.ProxyHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy host with the userspace mode in one process, without privileges: Service cluster IPs
 * come from 127.96.0.0/16, which is local on loopback, so the mode manages no interface. Services
 * and EndpointSlices are written by the test (no selector), so what is tested is the path from the
 * API server's objects to the listeners.
 */
class TestProxyHostWithUserspaceMode {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;
    private Cluster cluster;
    private ApiClient client;
    private final List<ServerSocket> backends = new ArrayList<>();

    @BeforeEach
    void start() {
        ClusterProfile profile = ProfileLoader.parse("proxy.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: proxy}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                  serviceClusterIPRange: 127.96.0.0/16
                  authentication: [{plugin: token, config: {file: tokens.csv}}]
                  authorization: [{plugin: always-allow}]
                nodes: [{name: node-1, address: 127.0.0.1}]
                proxy:
                  mode: {plugin: userspace, config: {interface: ""}}
                  minSyncPeriod: 50ms
                """).withDataDir(dataDir.toString());
        cluster = Cluster.start(profile, "proxy.yaml", Optional.empty());
        client = Clients.admin(cluster);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        cluster.close();
        for (ServerSocket s : backends) {
            s.close();
        }
    }

    @Test
    void routesAServicesClusterIpToTheEndpointsOfItsSlices() throws Exception {
        Service web = client.create(new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web")
                .endMetadata().withNewSpec().addNewPort().withPort(8080).withProtocol("TCP").endPort().endSpec().build());
        String clusterIp = web.getSpec().getClusterIP();
        assertThat(clusterIp).startsWith("127.96.");
        // Two loopback addresses carry the two backends at one port, as two pods' IPs would.
        int port = Kube4jProcess.freePort();
        backend("a", "127.0.0.1", port);
        backend("b", "127.0.0.2", port);
        client.create(slice("web-1", port, "127.0.0.1", "127.0.0.2"));

        List<String> answers = new ArrayList<>();
        Clients.await("the cluster IP answers", WAIT, () -> ask(clusterIp, 8080).isPresent());
        for (int i = 0; i < 4; i++) {
            answers.add(ask(clusterIp, 8080).orElseThrow());
        }
        assertThat(answers).containsOnly("a", "b").contains("a", "b");

        client.update(new EndpointSliceBuilder(client.get(EndpointSlice.class, "default", "web-1").orElseThrow())
                .withEndpoints(List.of()).build());
        Clients.await("connections refused without endpoints", WAIT, () -> ask(clusterIp, 8080).isEmpty());
        long began = System.nanoTime();
        assertThat(ask(clusterIp, 8080)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));

        client.delete(Service.class, "default", "web", io.kube4j.api.client.DeleteOptions.DEFAULT);
        ProxyHost proxy = cluster.proxies().getFirst();
        Clients.await("the port gone from the proxy", WAIT, () -> proxy.appliedState().services().keySet().stream()
                .noneMatch(name -> name.name().equals("web")));
        assertThat(ask(clusterIp, 8080)).isEmpty();
    }

    @Test
    void servesHealthzAndMetrics() throws Exception {
        ProxyHost proxy = cluster.proxies().getFirst();
        assertThat(proxy.nodeName()).isEqualTo("node-1");
        Clients.await("a first sync", WAIT, () -> proxy.successfulSyncs() > 0);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> healthz = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(healthz.body()).isEqualTo("ok");
        assertThat(metrics.body()).contains("kubeproxy_sync_proxy_rules_total{kind=\"full\",result=\"success\"} ",
                "kubeproxy_sync_proxy_rules_duration_seconds_bucket", "kubeproxy_service_ports ");
    }

    @Test
    void aProxyNeedsNodes() {
        ClusterProfile noNodes = ProfileLoader.parse("proxy.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                proxy: {mode: userspace}
                """);
        PluginBinder binder = new PluginBinder(PluginRegistry.discover(Optional.empty()), "proxy.yaml");

        assertThatThrownBy(() -> Cluster.check(noNodes, binder))
                .hasMessage("proxy.yaml: proxy: a proxy runs for each node of nodes:, and there is none");
    }

    /** A slice of Service web: the addresses, at one port. */
    private static EndpointSlice slice(String name, int port, String... addresses) {
        EndpointSliceBuilder builder = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                .addNewPort().withName("").withPort(port).withProtocol("TCP").endPort();
        for (String address : addresses) {
            builder.addToEndpoints(new EndpointBuilder().withAddresses(address).withNewConditions().withReady(true)
                    .endConditions().build());
        }
        return builder.build();
    }

    /** A server on {@code ip:port} that answers each connection with {@code name}. */
    private void backend(String name, String ip, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(ip, port));
        backends.add(server);
        Thread.ofVirtual().start(() -> {
            while (true) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static Optional<String> ask(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2_000);
            s.setSoTimeout(5_000);
            byte[] all = s.getInputStream().readAllBytes();
            return all.length == 0 ? Optional.empty() : Optional.of(new String(all, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
