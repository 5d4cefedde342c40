package io.kube4j.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestProxyProfile {
    private static final String HEAD = """
            apiVersion: kube4j.io/v1alpha1
            kind: ClusterProfile
            nodes: [{name: node-1}]
            """;

    @Test
    void defaults() {
        ProxyProfile proxy = ProfileLoader.parse("p.yaml", HEAD + "proxy: {mode: userspace}\n").proxy().orElseThrow();

        assertThat(proxy.mode().plugin()).isEqualTo("userspace");
        assertThat(proxy.mode().config().isEmpty()).isTrue();
        assertThat(proxy.minSync()).isEqualTo(Duration.ofSeconds(1));
        assertThat(proxy.sync()).isEqualTo(Duration.ofSeconds(30));
        assertThat(proxy.host()).isEqualTo("127.0.0.1");
        assertThat(proxy.port()).isZero();
    }

    @Test
    void everyKey() {
        ProxyProfile proxy = ProfileLoader.parse("p.yaml", HEAD + """
                proxy:
                  mode: {plugin: userspace, config: {interface: kube4j9}}
                  minSyncPeriod: 100ms
                  syncPeriod: 5s
                  address: 0.0.0.0:10256
                """).proxy().orElseThrow();

        assertThat(proxy.mode().plugin()).isEqualTo("userspace");
        assertThat(proxy.mode().config().get("interface").asText()).isEqualTo("kube4j9");
        assertThat(proxy.mode().line()).isEqualTo(5);
        assertThat(proxy.minSync()).isEqualTo(Duration.ofMillis(100));
        assertThat(proxy.sync()).isEqualTo(Duration.ofSeconds(5));
        assertThat(proxy.host()).isEqualTo("0.0.0.0");
        assertThat(proxy.port()).isEqualTo(10256);
    }

    @Test
    void theSectionIsTheModesSlot() {
        ProxyProfile proxy = ProfileLoader.parse("p.yaml", HEAD + """
                proxy:
                  plugin: userspace
                  config: {interface: lo}
                  minSyncPeriod: 100ms
                """).proxy().orElseThrow();

        assertThat(proxy.mode().plugin()).isEqualTo("userspace");
        assertThat(proxy.mode().config().get("interface").asText()).isEqualTo("lo");
        assertThat(proxy.mode().line()).isEqualTo(5);
        assertThat(proxy.minSync()).isEqualTo(Duration.ofMillis(100));
        assertThat(ProfileLoader.parse("p.yaml", HEAD + "proxy: {plugin: userspace}\n").proxy().orElseThrow().mode())
                .extracting(PluginSlot::plugin, PluginSlot::line).containsExactly("userspace", 4);
    }

    @Test
    void absentMeansNoProxy() {
        assertThat(ProfileLoader.parse("p.yaml", HEAD).proxy()).isEmpty();
    }

    @Test
    void errorsNameTheFileTheLineAndTheKeys() {
        assertThatThrownBy(() -> ProfileLoader.parse("p.yaml", HEAD + "proxy:\n  mode: userspace\n  minSync: 1s\n"))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("p.yaml:6: unknown key 'minSync'")
                .hasMessageContaining("address, config, minSyncPeriod, mode, plugin, syncPeriod");
        assertThatThrownBy(() -> ProfileLoader.parse("p.yaml", HEAD + "proxy: {syncPeriod: 5s}\n"))
                .isInstanceOf(ProfileException.class).hasMessageContaining("p.yaml:4: proxy: the mode is required");
        assertThatThrownBy(() -> ProfileLoader.parse("p.yaml", HEAD + "proxy: {plugin: userspace, mode: userspace}\n"))
                .isInstanceOf(ProfileException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> ProfileLoader.parse("p.yaml", HEAD + "proxy: {mode: userspace, syncPeriod: 0s}\n"))
                .isInstanceOf(ProfileException.class).hasMessageContaining("proxy.syncPeriod must be more than 0");
    }
}
