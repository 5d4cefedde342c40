package io.kube4j.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestPodNetwork {

    /** Hands out addresses from a tiny pool, like a host-local IPAM. */
    static final class ToyNetwork implements PodNetwork {
        private final Deque<String> free = new ArrayDeque<>(List.of("10.244.0.2", "10.244.0.3"));
        private final Map<String, PodNetworkStatus> wired = new HashMap<>();

        @Override
        public PodNetworkStatus setUpPod(PodNetworkRequest request) {
            return wired.computeIfAbsent(request.sandboxId(), id -> {
                String ip = free.poll();
                if (ip == null) {
                    throw new ContainerRuntimeException("no free address for " + request.namespace() + "/" + request.name());
                }
                return new PodNetworkStatus(List.of(ip), request.interfaceName());
            });
        }

        @Override
        public void tearDownPod(PodNetworkRequest request) {
            PodNetworkStatus status = wired.remove(request.sandboxId());
            if (status != null) {
                free.addAll(status.ips());
            }
        }

        @Override
        public Optional<PodNetworkStatus> status(PodNetworkRequest request) {
            return Optional.ofNullable(wired.get(request.sandboxId()));
        }
    }

    private static PodNetworkRequest request(String name) {
        return new PodNetworkRequest("default", name, "uid-" + name, "sandbox-" + name,
                Optional.of("/var/run/netns/" + name), PodNetworkRequest.DEFAULT_INTERFACE, List.of());
    }

    @Test
    void addIsRepeatableAndDelIsIdempotent() {
        ToyNetwork network = new ToyNetwork();
        PodNetworkStatus web = network.setUpPod(request("web"));
        assertThat(network.setUpPod(request("web"))).isEqualTo(web);
        assertThat(web.ip()).isEqualTo("10.244.0.2");
        assertThat(web.interfaceName()).isEqualTo("eth0");
        assertThat(network.status(request("web"))).contains(web);

        network.setUpPod(request("db"));
        assertThatThrownBy(() -> network.setUpPod(request("cache"))).isInstanceOf(ContainerRuntimeException.class);

        network.tearDownPod(request("web"));
        network.tearDownPod(request("web"));
        network.tearDownPod(request("never-wired"));
        assertThat(network.status(request("web"))).isEmpty();
        assertThat(network.setUpPod(request("cache")).ip()).isEqualTo("10.244.0.2");
        network.close();
    }

    @Test
    void statusesAndRequestsAreChecked() {
        assertThatThrownBy(() -> new PodNetworkStatus(List.of(), "eth0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodNetworkStatus(List.of("10.0.0.1", "10.0.0.1"), "eth0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PodNetworkStatus(List.of("10.0.0.1", "fd00::1"), "eth0").ip()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> new PodNetworkRequest("default", "web", "uid", "sandbox", Optional.empty(),
                "a-very-long-interface", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
