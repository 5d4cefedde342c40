package io.kube4j.controllers.nodeipam;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCidrSet {

    @Test
    void handsOutTheLowestFreeSubnetAndTakesBackReleasedOnes() {
        CidrSet set = new CidrSet("10.244.0.0/16", 24);
        assertThat(set.size()).isEqualTo(256);
        assertThat(set.allocateNext()).contains("10.244.0.0/24");
        assertThat(set.occupy("10.244.1.0/24")).isTrue();
        assertThat(set.allocateNext()).contains("10.244.2.0/24");
        set.release("10.244.0.0/24");
        assertThat(set.allocateNext()).contains("10.244.0.0/24");
        assertThat(set.allocateNext()).contains("10.244.3.0/24");
    }

    @Test
    void subnetsOfAnotherRangeOrSizeAreNotOurs() {
        CidrSet set = new CidrSet("10.244.0.0/16", 24);
        assertThat(set.occupy("10.245.0.0/24")).isFalse();
        assertThat(set.occupy("10.244.0.0/25")).isFalse();
        assertThat(set.occupy("10.244.0.128/24")).isFalse();
        assertThat(set.occupy("not-a-cidr")).isFalse();
        assertThat(set.allocateNext()).contains("10.244.0.0/24");
    }

    @Test
    void aFullSetHasNothingToGive() {
        CidrSet set = new CidrSet("192.168.0.0/23", 24);
        assertThat(set.allocateNext()).contains("192.168.0.0/24");
        assertThat(set.allocateNext()).contains("192.168.1.0/24");
        assertThat(set.allocateNext()).isEmpty();
    }

    @Test
    void aHostPartInTheClusterCidrIsIgnoredAndBadSizesAreRefused() {
        assertThat(new CidrSet("10.244.9.9/16", 24).allocateNext()).contains("10.244.0.0/24");
        assertThatThrownBy(() -> new CidrSet("10.244.0.0/24", 16)).hasMessageContaining("nodeCidrMaskSize 16");
        assertThatThrownBy(() -> new NodeIpamConfig("10.244.0.0", null)).hasMessageContaining("IPv4 CIDR");
        assertThat(NodeIpamConfig.defaults().clusterCidr()).isEqualTo("10.244.0.0/16");
        assertThat(NodeIpamConfig.defaults().nodeCidrMaskSize()).isEqualTo(24);
    }
}
