package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.kube4j.api.node.DnsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPodDns {
    private static final DnsConfig HOST = PodDns.parseResolvConf("""
            # written by hand
            nameserver 192.168.1.1
            nameserver 192.168.1.2 ; the second
            domain old.example
            search corp.example lab.example
            options edns0 timeout:2
            """);
    private static final PodDns.NodeDns NODE = new PodDns.NodeDns(List.of("10.96.0.10"), "cluster.local", HOST);

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("p").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec().build();
    }

    @Test
    void parsesTheNodesResolvConf() {
        assertThat(HOST).isEqualTo(new DnsConfig(List.of("192.168.1.1", "192.168.1.2"),
                List.of("corp.example", "lab.example"), List.of("edns0", "timeout:2")));
    }

    @Test
    void clusterFirstPointsAtClusterDnsWithTheClusterSearches() {
        DnsConfig dns = PodDns.forPod(pod(null, false), NODE);
        assertThat(dns).isEqualTo(new DnsConfig(List.of("10.96.0.10"), List.of("shop.svc.cluster.local",
                "svc.cluster.local", "cluster.local", "corp.example", "lab.example"), List.of("ndots:5")));
        assertThat(dns.toResolvConf()).isEqualTo("""
                nameserver 10.96.0.10
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
                options ndots:5
                """);
        assertThat(PodDns.missingClusterDns(pod(null, false), NODE)).isFalse();
    }

    @Test
    void hostNetworkAndDefaultGetTheNodesResolvConf() {
        assertThat(PodDns.forPod(pod("ClusterFirst", true), NODE)).isEqualTo(HOST);
        assertThat(PodDns.forPod(pod("Default", false), NODE)).isEqualTo(HOST);
        assertThat(PodDns.forPod(pod("ClusterFirstWithHostNet", true), NODE).servers()).containsExactly("10.96.0.10");
    }

    @Test
    void withoutClusterDnsClusterFirstFallsBackToDefault() {
        PodDns.NodeDns none = new PodDns.NodeDns(List.of(), "cluster.local", HOST);
        assertThat(PodDns.forPod(pod("ClusterFirst", false), none)).isEqualTo(HOST);
        assertThat(PodDns.missingClusterDns(pod("ClusterFirst", false), none)).isTrue();
        assertThat(PodDns.missingClusterDns(pod("Default", false), none)).isFalse();
    }

    @Test
    void nonePlusTheDnsConfigOfThePodMerged() {
        Pod none = new PodBuilder(pod("None", false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("1.1.1.1").withSearches("a.example").withOptions(new PodDNSConfigOption("ndots", "2"))
                .build()).endSpec().build();
        assertThat(PodDns.forPod(none, NODE)).isEqualTo(new DnsConfig(List.of("1.1.1.1"), List.of("a.example"),
                List.of("ndots:2")));
        Pod merged = new PodBuilder(pod(null, false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("10.96.0.10", "1.1.1.1", "8.8.8.8", "9.9.9.9").withSearches("cluster.local", "b.example")
                .withOptions(new PodDNSConfigOption("ndots", "1"), new PodDNSConfigOption("single-request", null)).build())
                .endSpec().build();
        DnsConfig dns = PodDns.forPod(merged, NODE);
        assertThat(dns.servers()).containsExactly("10.96.0.10", "1.1.1.1", "8.8.8.8");
        assertThat(dns.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
                "corp.example", "lab.example", "b.example");
        assertThat(dns.options()).containsExactly("ndots:1", "single-request");
    }

    @Test
    void anUnreadableResolvConfIsEmpty(@TempDir Path dir) throws Exception {
        assertThat(PodDns.readResolvConf(dir.resolve("absent"))).isEqualTo(DnsConfig.NONE);
        Files.writeString(dir.resolve("r"), "nameserver 10.0.0.2\n");
        assertThat(PodDns.readResolvConf(dir.resolve("r")).servers()).containsExactly("10.0.0.2");
    }
}
