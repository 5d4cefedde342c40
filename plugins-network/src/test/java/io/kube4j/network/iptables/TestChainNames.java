package io.kube4j.network.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ServicePortName;
import org.junit.jupiter.api.Test;

class TestChainNames {

    @Test
    void hashesServicePortsAsKubeProxyDoes() {
        // Names kube-proxy gives these ports on every cluster (kubeadm's API server and CoreDNS services).
        assertThat(ChainNames.service(new ServicePortName("default", "kubernetes", "https", Protocol.TCP)))
                .isEqualTo("KUBE-SVC-NPX46M4PTMTKRN6Y");
        assertThat(ChainNames.service(new ServicePortName("kube-system", "kube-dns", "dns", Protocol.UDP)))
                .isEqualTo("KUBE-SVC-TCOU7JCQXEZGVUNU");
        assertThat(ChainNames.service(new ServicePortName("kube-system", "kube-dns", "dns-tcp", Protocol.TCP)))
                .isEqualTo("KUBE-SVC-ERIFXISQEP7F7OF4");
        ServicePortName port = new ServicePortName("ns1", "svc1", "p80", Protocol.TCP);
        assertThat(ChainNames.service(port)).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.external(port)).isEqualTo("KUBE-EXT-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.local(port)).isEqualTo("KUBE-SVL-XPGD46QRK7WJZT7O");
    }

    @Test
    void hashesEndpointsWithTheirAddress() {
        ServicePortName port = new ServicePortName("ns1", "svc1", "p80", Protocol.TCP);
        assertThat(ChainNames.endpoint(port, "10.180.0.1:80")).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
        assertThat(ChainNames.endpoint(port, "10.180.0.2:80")).isEqualTo("KUBE-SEP-LXVODXWDISEETFEF");
    }

    @Test
    void anUnnamedPortHashesWithoutAColon() {
        assertThat(ChainNames.service(new ServicePortName("ns2", "svc2", "p80", Protocol.TCP)))
                .isEqualTo("KUBE-SVC-GNZBNJ2PO5MGZ6GT");
        assertThat(ChainNames.service(new ServicePortName("default", "web", "", Protocol.TCP)))
                .isNotEqualTo(ChainNames.service(new ServicePortName("default", "web", "", Protocol.UDP)))
                .startsWith("KUBE-SVC-")
                .hasSize("KUBE-SVC-".length() + 16);
    }

    @Test
    void knowsItsOwnChains() {
        assertThat(ChainNames.isPerService("KUBE-SEP-SXIVWICOYRO3J4NJ")).isTrue();
        assertThat(ChainNames.isPerService("KUBE-EXT-XPGD46QRK7WJZT7O")).isTrue();
        assertThat(ChainNames.isPerService("KUBE-SERVICES")).isFalse();
        assertThat(ChainNames.isPerService("KUBE-MARK-MASQ")).isFalse();
    }
}
