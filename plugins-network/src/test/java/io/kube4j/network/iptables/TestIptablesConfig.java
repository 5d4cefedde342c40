package io.kube4j.network.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestIptablesConfig {
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void defaultsAreKubeProxys() {
        IptablesConfig config = IptablesConfig.defaults();
        assertThat(config.masqueradeAll()).isFalse();
        assertThat(config.clusterCidr()).isEmpty();
        assertThat(config.masqueradeBit()).isEqualTo(14);
        assertThat(config.masqueradeMark()).isEqualTo("0x4000");
        assertThat(config.localhostNodePorts()).isTrue();
        assertThat(config.iptablesRestore()).isEqualTo("iptables-restore");
        assertThat(config.iptablesSave()).isEqualTo("iptables-save");
        assertThat(config.netns()).isEmpty();
        assertThat(config.fullSyncBatch()).isEqualTo(50);
        assertThat(mapper.convertValue(Map.of(), IptablesConfig.class)).isEqualTo(config);
    }

    @Test
    void bindsEveryKey() {
        IptablesConfig config = mapper.convertValue(Map.of(
                "masqueradeAll", true, "clusterCidr", "10.244.0.0/16", "masqueradeBit", 15, "localhostNodePorts", false,
                "iptablesRestore", "/usr/sbin/iptables-legacy-restore",
                "iptablesSave", "/usr/sbin/iptables-legacy-save", "netns", "node-1", "fullSyncBatch", 0), IptablesConfig.class);
        assertThat(config).isEqualTo(new IptablesConfig(true, "10.244.0.0/16", 15, false,
                "/usr/sbin/iptables-legacy-restore", "/usr/sbin/iptables-legacy-save", "node-1", 0));
        assertThat(config.masqueradeMark()).isEqualTo("0x8000");
        assertThat(config.withNetns("other").netns()).isEqualTo("other");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new IptablesConfig(null, null, 32, null, null, null, null, null))
                .hasMessageContaining("masqueradeBit");
        assertThatThrownBy(() -> new IptablesConfig(null, "10.244.0.0", null, null, null, null, null, null))
                .hasMessageContaining("clusterCidr");
        assertThatThrownBy(() -> new IptablesConfig(null, null, null, null, " ", null, null, null))
                .hasMessageContaining("iptablesRestore");
        assertThatThrownBy(() -> new IptablesConfig(null, null, null, null, null, null, "/var/run/netns/x", null))
                .hasMessageContaining("netns");
        assertThatThrownBy(() -> new IptablesConfig(null, null, null, null, null, null, null, -1))
                .hasMessageContaining("fullSyncBatch");
        assertThatThrownBy(() -> mapper.convertValue(Map.of("masqueradeAl", true), IptablesConfig.class))
                .hasMessageContaining("masqueradeAl");
    }
}
