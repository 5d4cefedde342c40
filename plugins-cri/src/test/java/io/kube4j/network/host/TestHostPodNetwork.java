package io.kube4j.network.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkFactory;
import io.kube4j.api.node.PodNetworkRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestHostPodNetwork {

    @Test
    void podsGetTheConfiguredNodeIp() {
        PodNetworkFactory<?> factory = ServiceLoader.load(PodNetworkFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("host")).findFirst().orElseThrow();
        assertThat(factory.configType()).isEqualTo(HostNetworkConfig.class);
        PodNetwork network = ((HostPodNetworkFactory) factory).create(new HostNetworkConfig("10.1.2.3"), new NodeContext() {
            @Override
            public String nodeName() {
                return "node-1";
            }

            @Override
            public Path nodeDataDir() {
                return Path.of("/nonexistent");
            }

            @Override
            public ApiClient client() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Path dataDir() {
                return Path.of("/nonexistent");
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        });
        PodNetworkRequest request = new PodNetworkRequest("default", "web", "uid", "sandbox-1", Optional.empty(),
                PodNetworkRequest.DEFAULT_INTERFACE, List.of());
        assertThat(network.status(request)).isEmpty();
        assertThat(network.setUpPod(request).ip()).isEqualTo("10.1.2.3");
        assertThat(network.status(request).orElseThrow().ips()).containsExactly("10.1.2.3");
        network.tearDownPod(request);
        network.tearDownPod(request);
        assertThat(network.status(request)).isEmpty();
        assertThat(HostNetworkConfig.defaults().ip()).isEmpty();
    }
}
