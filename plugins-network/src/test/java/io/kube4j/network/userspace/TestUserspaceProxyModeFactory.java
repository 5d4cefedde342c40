package io.kube4j.network.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.proxy.ProxyContext;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;
import io.kube4j.api.proxy.ProxyState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestUserspaceProxyModeFactory {

    @Test
    void isFoundByNameAndCreatesAMode() {
        ProxyModeFactory<?> factory = ServiceLoader.load(ProxyModeFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(UserspaceProxyModeFactory.NAME)).findFirst().orElseThrow();
        assertThat(factory.configType()).isEqualTo(UserspaceProxyConfig.class);

        try (ProxyMode mode = ((UserspaceProxyModeFactory) factory).create(new UserspaceProxyConfig("", null, null, null),
                new Context())) {
            mode.sync(ProxyState.EMPTY);
        }
    }

    @Test
    void configDefaults() {
        UserspaceProxyConfig config = UserspaceProxyConfig.defaults();
        assertThat(config.interfaceName()).isEqualTo("kube4j0");
        assertThat(config.connect()).hasSeconds(1);
        assertThat(config.udpIdle()).hasSeconds(30);
    }

    private static final class Context implements ProxyContext {
        @Override
        public String nodeName() {
            return "node-1";
        }

        @Override
        public List<String> nodeIps() {
            return List.of("127.0.0.1");
        }

        @Override
        public ApiClient client() {
            throw new UnsupportedOperationException("the userspace mode needs no API client");
        }

        @Override
        public Path dataDir() {
            return Path.of(".");
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }
    }
}
