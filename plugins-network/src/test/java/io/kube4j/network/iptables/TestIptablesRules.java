package io.kube4j.network.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.proxy.EndpointInfo;
import io.kube4j.api.proxy.Protocol;
import io.kube4j.api.proxy.ProxyState;
import io.kube4j.api.proxy.ServicePortInfo;
import io.kube4j.api.proxy.ServicePortName;
import io.kube4j.api.proxy.SessionAffinity;
import io.kube4j.api.proxy.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestIptablesRules {
    static final ServicePortName SVC1 = new ServicePortName("ns1", "svc1", "p80", Protocol.TCP);
    static final ServicePortName SVC2 = new ServicePortName("ns2", "svc2", "p80", Protocol.TCP);
    static final IptablesConfig CIDR = new IptablesConfig(null, "10.0.0.0/8", null, null, null, null, null, null);

    static EndpointInfo ready(String ip, int port, String node) {
        return new EndpointInfo(ip, port, true, true, false, Optional.of(node), Optional.empty());
    }

    static ServicePortInfo nodePort(String clusterIp, int nodePort, TrafficPolicy external) {
        return new ServicePortInfo(clusterIp, 80, Protocol.TCP, nodePort, SessionAffinity.NONE, Duration.ZERO,
                List.of(), List.of(), TrafficPolicy.CLUSTER, external);
    }

    @Test
    void writesKubeProxysChainsForAClusterIpAndANodePortWithoutEndpoints() {
        ProxyState state = new ProxyState(
                Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP),
                        SVC2, nodePort("172.30.0.42", 3001, TrafficPolicy.CLUSTER)),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "node-2"), ready("10.180.0.2", 80, "node-2"))));
        IptablesRules rules = new IptablesRules(CIDR, "node-1");

        String text = rules.full(List.of(rules.portRules(SVC1, state.services().get(SVC1), state),
                rules.portRules(SVC2, state.services().get(SVC2), state)), Set.of("KUBE-SEP-GONE"), rules.jumps(), 100);

        assertThat(text).isEqualTo("""
                *filter
                :KUBE-SERVICES - [0:0]
                :KUBE-EXTERNAL-SERVICES - [0:0]
                :KUBE-FORWARD - [0:0]
                :KUBE-FIREWALL - [0:0]
                -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j REJECT
                -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT
                -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
                -I OUTPUT 1 -j KUBE-FIREWALL
                -I INPUT 1 -j KUBE-FIREWALL
                -I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
                -I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
                COMMIT
                *nat
                :KUBE-SERVICES - [0:0]
                :KUBE-NODEPORTS - [0:0]
                :KUBE-POSTROUTING - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
                :KUBE-SEP-LXVODXWDISEETFEF - [0:0]
                :KUBE-SEP-GONE - [0:0]
                -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
                -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
                -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
                -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
                -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
                -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment "ns1/svc1:p80" -s 10.180.0.1 -j KUBE-MARK-MASQ
                -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment "ns1/svc1:p80" -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                -X KUBE-SEP-GONE
                -I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
                -I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                COMMIT
                """);
    }

    @Test
    void spreadsOverThreeEndpointsWithFallingProbabilities() {
        ProxyState state = new ProxyState(Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP)),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "n"), ready("10.180.0.2", 80, "n"), ready("10.180.0.3", 80, "n"))));
        IptablesRules.PortRules port = new IptablesRules(IptablesConfig.defaults(), "node-1")
                .portRules(SVC1, state.services().get(SVC1), state);

        assertThat(port.chains().get("KUBE-SVC-XPGD46QRK7WJZT7O")).containsExactly(
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m statistic --mode random"
                        + " --probability 0.3333333333 -j KUBE-SEP-SXIVWICOYRO3J4NJ",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.2:80\" -m statistic --mode random"
                        + " --probability 0.5000000000 -j KUBE-SEP-LXVODXWDISEETFEF",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.3:80\" -j "
                        + ChainNames.endpoint(SVC1, "10.180.0.3:80"));
        assertThat(port.chains()).hasSize(4);
    }

    @Test
    void masqueradeAllMarksEveryClusterIpConnection() {
        ProxyState state = new ProxyState(Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP)),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "n"))));
        IptablesConfig all = new IptablesConfig(true, "10.0.0.0/8", null, null, null, null, null, null);
        IptablesRules.PortRules port = new IptablesRules(all, "node-1").portRules(SVC1, state.services().get(SVC1), state);

        assertThat(port.chains().get("KUBE-SVC-XPGD46QRK7WJZT7O")).first().isEqualTo(
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41"
                        + " --dport 80 -j KUBE-MARK-MASQ");
    }

    @Test
    void clientIpAffinityChecksRecentClientsFirstAndRecordsThemOnDnat() {
        ServicePortInfo sticky = new ServicePortInfo("172.30.0.41", 80, Protocol.TCP, 0, SessionAffinity.CLIENT_IP,
                Duration.ofSeconds(10800), List.of(), List.of(), TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER);
        ProxyState state = new ProxyState(Map.of(SVC1, sticky),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "n"), ready("10.180.0.2", 80, "n"))));
        IptablesRules.PortRules port = new IptablesRules(IptablesConfig.defaults(), "node-1").portRules(SVC1, sticky, state);

        assertThat(port.chains().get("KUBE-SVC-XPGD46QRK7WJZT7O")).containsExactly(
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m recent"
                        + " --name KUBE-SEP-SXIVWICOYRO3J4NJ --rcheck --seconds 10800 --reap -j KUBE-SEP-SXIVWICOYRO3J4NJ",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.2:80\" -m recent"
                        + " --name KUBE-SEP-LXVODXWDISEETFEF --rcheck --seconds 10800 --reap -j KUBE-SEP-LXVODXWDISEETFEF",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m statistic --mode random"
                        + " --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.2:80\" -j KUBE-SEP-LXVODXWDISEETFEF");
        assertThat(port.chains().get("KUBE-SEP-SXIVWICOYRO3J4NJ")).containsExactly(
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment \"ns1/svc1:p80\" -s 10.180.0.1 -j KUBE-MARK-MASQ",
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment \"ns1/svc1:p80\" -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ"
                        + " --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80");
    }

    @Test
    void nodePortGoesThroughTheExternalChainThatMasquerades() {
        ProxyState state = new ProxyState(Map.of(SVC2, nodePort("172.30.0.42", 3001, TrafficPolicy.CLUSTER)),
                Map.of(SVC2, List.of(ready("10.180.0.1", 80, "node-2"))));
        IptablesRules.PortRules port = new IptablesRules(IptablesConfig.defaults(), "node-1")
                .portRules(SVC2, state.services().get(SVC2), state);

        assertThat(port.nodePorts()).containsExactly("-A KUBE-NODEPORTS -m comment --comment \"ns2/svc2:p80\" -m tcp -p tcp"
                + " --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT");
        assertThat(port.chains().get("KUBE-EXT-GNZBNJ2PO5MGZ6GT")).containsExactly(
                "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment \"masquerade traffic for ns2/svc2:p80 external destinations\""
                        + " -j KUBE-MARK-MASQ",
                "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVC-GNZBNJ2PO5MGZ6GT");
        assertThat(port.filterServices()).isEmpty();
        assertThat(port.filterExternal()).isEmpty();
    }

    @Test
    void localExternalPolicyKeepsOutsideTrafficOnThisNodesEndpointsAndDropsItWhenThereIsNone() {
        ProxyState state = new ProxyState(Map.of(SVC2, nodePort("172.30.0.42", 3001, TrafficPolicy.LOCAL)),
                Map.of(SVC2, List.of(ready("10.180.0.1", 80, "node-2"))));
        IptablesRules.PortRules port = new IptablesRules(IptablesConfig.defaults(), "node-1")
                .portRules(SVC2, state.services().get(SVC2), state);

        assertThat(port.chains().get("KUBE-EXT-GNZBNJ2PO5MGZ6GT")).containsExactly(
                "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment \"masquerade LOCAL traffic for ns2/svc2:p80 external"
                        + " destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment \"route LOCAL traffic for ns2/svc2:p80 external destinations\""
                        + " -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT",
                "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVL-GNZBNJ2PO5MGZ6GT");
        assertThat(port.chains().get("KUBE-SVL-GNZBNJ2PO5MGZ6GT")).isEmpty();
        assertThat(port.filterExternal()).containsExactly("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns2/svc2:p80 has"
                + " no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP");
    }

    @Test
    void anIncrementalSyncRewritesTheEntryChainsAndOnlyTheChangedPortsOwn() {
        ProxyState state = new ProxyState(
                Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP),
                        SVC2, ServicePortInfo.clusterIp("172.30.0.42", 80, Protocol.TCP)),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "n")), SVC2, List.of(ready("10.180.0.2", 80, "n"))));
        IptablesRules rules = new IptablesRules(IptablesConfig.defaults(), "node-1");
        IptablesRules.PortRules one = rules.portRules(SVC1, state.services().get(SVC1), state);
        IptablesRules.PortRules two = rules.portRules(SVC2, state.services().get(SVC2), state);

        String text = rules.incremental(List.of(one, two), List.of(two), Set.of("KUBE-SEP-GONE"), true);

        assertThat(text).startsWith("*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\nCOMMIT\n*nat\n"
                        + ":KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]\n")
                .contains("-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\"")
                .contains("-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\"")
                .contains("-A KUBE-SVC-GNZBNJ2PO5MGZ6GT ")
                .doesNotContain("KUBE-SVC-XPGD46QRK7WJZT7O -")
                .doesNotContain("KUBE-POSTROUTING")
                .endsWith("-X KUBE-SEP-GONE\nCOMMIT\n");
    }

    @Test
    void whenOnlyEndpointsMovedAnIncrementalSyncLeavesTheEntryChains() {
        ProxyState state = new ProxyState(Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP)),
                Map.of(SVC1, List.of(ready("10.180.0.2", 80, "n"))));
        IptablesRules rules = new IptablesRules(IptablesConfig.defaults(), "node-1");
        IptablesRules.PortRules one = rules.portRules(SVC1, state.services().get(SVC1), state);

        String text = rules.incremental(List.of(one), List.of(one), Set.of("KUBE-SEP-SXIVWICOYRO3J4NJ"), false);

        assertThat(text).isEqualTo("""
                *nat
                :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
                :KUBE-SEP-LXVODXWDISEETFEF - [0:0]
                :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
                -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j KUBE-SEP-LXVODXWDISEETFEF
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment "ns1/svc1:p80" -s 10.180.0.2 -j KUBE-MARK-MASQ
                -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
                -X KUBE-SEP-SXIVWICOYRO3J4NJ
                COMMIT
                """);
    }

    @Test
    void aLargeFullSyncWritesThePortsInBatchesAndTheEntryChainsLast() {
        ProxyState state = new ProxyState(
                Map.of(SVC1, ServicePortInfo.clusterIp("172.30.0.41", 80, Protocol.TCP),
                        SVC2, ServicePortInfo.clusterIp("172.30.0.42", 80, Protocol.TCP)),
                Map.of(SVC1, List.of(ready("10.180.0.1", 80, "n")), SVC2, List.of(ready("10.180.0.2", 80, "n"))));
        IptablesRules rules = new IptablesRules(IptablesConfig.defaults(), "node-1");

        String text = rules.full(List.of(rules.portRules(SVC1, state.services().get(SVC1), state),
                rules.portRules(SVC2, state.services().get(SVC2), state)), Set.of("KUBE-SVC-GONE"), List.of(), 1);

        String nat = text.substring(text.indexOf("*nat"));
        assertThat(nat.split("COMMIT\n")).hasSize(4);
        assertThat(nat.split("COMMIT\n")[0]).contains(":KUBE-MARK-MASQ", "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000")
                .doesNotContain("KUBE-SVC-");
        assertThat(nat.split("COMMIT\n")[1]).contains(":KUBE-SVC-XPGD46QRK7WJZT7O", "-A KUBE-SEP-SXIVWICOYRO3J4NJ")
                .doesNotContain("GNZBNJ2PO5MGZ6GT", "KUBE-SERVICES");
        assertThat(nat.split("COMMIT\n")[2]).contains(":KUBE-SVC-GNZBNJ2PO5MGZ6GT").doesNotContain("XPGD46QRK7WJZT7O");
        assertThat(nat.split("COMMIT\n")[3]).startsWith("*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n")
                .contains("-j KUBE-SVC-XPGD46QRK7WJZT7O", "-j KUBE-SVC-GNZBNJ2PO5MGZ6GT")
                .endsWith("-X KUBE-SVC-GONE\n");
    }
}
