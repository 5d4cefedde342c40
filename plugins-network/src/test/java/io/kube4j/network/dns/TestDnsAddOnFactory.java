package io.kube4j.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.addon.AddOnFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The factory is found by name through ServiceLoader; the config's defaults and checks. */
class TestDnsAddOnFactory {
    @Test
    void foundByNameThroughServiceLoader() {
        List<String> names = ServiceLoader.load(AddOnFactory.class).stream().map(p -> p.get().name()).toList();
        assertThat(names).contains(DnsAddOnFactory.NAME);
        assertThat(new DnsAddOnFactory().configType()).isEqualTo(DnsConfig.class);
    }

    @Test
    void defaults() {
        assertThat(DnsConfig.defaults()).isEqualTo(new DnsConfig("", 10053, "cluster.local", 5, List.of(),
                "/etc/resolv.conf", "10.96.0.10", true, 2));
        assertThat(new DnsConfig(null, null, "Example.Test.", null, null, null, null, null, null).domain())
                .isEqualTo("example.test");
    }

    @Test
    void checks() {
        assertThatThrownBy(() -> new DnsConfig(null, 70000, null, null, null, null, null, null, null))
                .hasMessage("port must be in 0..65535: 70000");
        assertThatThrownBy(() -> new DnsConfig(null, null, null, -1, null, null, null, null, null))
                .hasMessage("ttl must not be negative: -1");
        assertThatThrownBy(() -> new DnsConfig(null, null, null, null, null, null, null, null, 0))
                .hasMessage("udpWorkers must be at least 1: 0");
    }
}
