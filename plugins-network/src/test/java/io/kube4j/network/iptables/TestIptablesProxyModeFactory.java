package io.kube4j.network.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.proxy.ProxyMode;
import io.kube4j.api.proxy.ProxyModeFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestIptablesProxyModeFactory {

    @Test
    void isFoundByNameAndCreatesTheMode() {
        ProxyModeFactory<?> factory = ServiceLoader.load(ProxyModeFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.name().equals(IptablesProxyModeFactory.NAME))
                .findFirst().orElseThrow();
        assertThat(factory.configType()).isEqualTo(IptablesConfig.class);
        assertThat(factory.description()).isNotBlank();
        try (ProxyMode mode = create(factory, Map.of("masqueradeAll", true))) {
            assertThat(mode).isInstanceOf(IptablesProxyMode.class);
        }
    }

    private static <C> ProxyMode create(ProxyModeFactory<C> factory, Map<String, Object> config) {
        C bound = new ObjectMapper().convertValue(config, factory.configType());
        return factory.create(bound, new FakeProxyContext("node-1", List.of("10.0.0.1")));
    }
}
