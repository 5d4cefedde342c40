package io.kube4j.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Real UDP and TCP queries against a server on loopback, answered from records fed through the
 * informer handlers; names outside the cluster domain go to a second server acting as upstream.
 */
class TestDnsServer {
    private ClusterRecords records;
    private DnsServer upstream;
    private DnsServer server;

    @BeforeEach
    void start() throws Exception {
        ClusterRecords upstreamRecords = new ClusterRecords();
        upstreamRecords.serviceHandler().onAdd(service("www", "example", "10.1.2.3"));
        // the upstream is the same server with the domain "test": it answers www.example.svc.test
        upstream = new DnsServer(new ClusterResolver(upstreamRecords, "test", 60), new Forwarder(List.of()),
                new InetSocketAddress("127.0.0.1", 0), 1);
        records = new ClusterRecords();
        server = new DnsServer(new ClusterResolver(records, "cluster.local", 5), new Forwarder(List.of(upstream.address())),
                new InetSocketAddress("127.0.0.1", 0), 2);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static Service service(String name, String ns, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp)
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .endSpec().build();
    }

    private static EndpointSlice slice(String svc, String ns, Map<String, Boolean> readyByIp) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(svc + "-abc").withNamespace(ns)
                .withLabels(Map.of("kubernetes.io/service-name", svc)).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        readyByIp.forEach((ip, ready) -> b.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(ready)
                .endConditions().endEndpoint());
        return b.build();
    }

    private Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(server.address());
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(5));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> switch (r) {
            case ARecord a -> a.getAddress().getHostAddress();
            case SRVRecord s -> s.getPort() + " " + s.getTarget();
            case CNAMERecord c -> c.getTarget().toString();
            default -> r.rdataToString();
        }).toList();
    }

    @Test
    void serviceNameIsItsClusterIpOverUdpAndTcp() throws Exception {
        records.serviceHandler().onAdd(service("web", "default", "10.96.0.42"));
        for (boolean tcp : List.of(false, true)) {
            Message m = query("web.default.svc.cluster.local.", Type.A, tcp);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answers(m)).containsExactly("10.96.0.42");
            assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(5);
        }
        records.serviceHandler().onDelete(service("web", "default", "10.96.0.42"), false);
        assertThat(query("web.default.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void unknownNamesInTheClusterDomainAreNxdomainAndOtherTypesNodata() throws Exception {
        records.serviceHandler().onAdd(service("web", "default", "10.96.0.42"));
        assertThat(query("nope.default.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query("web.other.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query("a.b.c.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message aaaa = query("web.default.svc.cluster.local.", Type.AAAA, false);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
        assertThat(aaaa.getSection(Section.AUTHORITY)).hasSize(1);
    }

    @Test
    void srvNamesThePortAndTheService() throws Exception {
        records.serviceHandler().onAdd(service("web", "default", "10.96.0.42"));
        Message m = query("_http._tcp.web.default.svc.cluster.local.", Type.SRV, false);
        assertThat(answers(m)).containsExactly("80 web.default.svc.cluster.local.");
        assertThat(m.getSection(Section.ADDITIONAL).stream().filter(r -> r instanceof ARecord).map(r -> ((ARecord) r)
                .getAddress().getHostAddress())).containsExactly("10.96.0.42");
        assertThat(answers(query("_dns._udp.web.default.svc.cluster.local.", Type.SRV, true)))
                .containsExactly("53 web.default.svc.cluster.local.");
        assertThat(query("_dns._tcp.web.default.svc.cluster.local.", Type.SRV, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void headlessServiceIsItsReadyEndpoints() throws Exception {
        records.serviceHandler().onAdd(service("db", "data", "None"));
        EndpointSlice s = slice("db", "data", Map.of("10.244.0.5", true, "10.244.0.6", true, "10.244.0.7", false));
        records.sliceHandler().onAdd(s);
        assertThat(answers(query("db.data.svc.cluster.local.", Type.A, false)))
                .containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6");
        assertThat(answers(query("10-244-0-5.db.data.svc.cluster.local.", Type.A, false))).containsExactly("10.244.0.5");
        assertThat(answers(query("_http._tcp.db.data.svc.cluster.local.", Type.SRV, false))).containsExactlyInAnyOrder(
                "8080 10-244-0-5.db.data.svc.cluster.local.", "8080 10-244-0-6.db.data.svc.cluster.local.");
        EndpointSlice fewer = slice("db", "data", Map.of("10.244.0.6", true));
        records.sliceHandler().onUpdate(s, fewer);
        assertThat(answers(query("db.data.svc.cluster.local.", Type.A, true))).containsExactly("10.244.0.6");
    }

    @Test
    void externalNameIsACname() throws Exception {
        records.serviceHandler().onAdd(new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("default")
                .endMetadata().withNewSpec().withType("ExternalName").withExternalName("db.example.org").endSpec().build());
        assertThat(answers(query("ext.default.svc.cluster.local.", Type.A, false))).containsExactly("db.example.org.");
    }

    @Test
    void podNameIsAnsweredOnlyForAPodOfThatNamespace() throws Exception {
        var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewStatus().withPodIP("10.244.1.9").endStatus().build();
        assertThat(query("10-244-1-9.default.pod.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        records.podHandler().onAdd(pod);
        assertThat(answers(query("10-244-1-9.default.pod.cluster.local.", Type.A, false))).containsExactly("10.244.1.9");
        assertThat(query("10-244-1-9.other.pod.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        records.podHandler().onDelete(pod, false);
        assertThat(query("10-244-1-9.default.pod.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void otherNamesAreForwardedToTheUpstream() throws Exception {
        for (boolean tcp : List.of(false, true)) {
            Message m = query("www.example.svc.test.", Type.A, tcp);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answers(m)).containsExactly("10.1.2.3");
            assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
        }
        assertThat(query("nope.example.svc.test.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void unreachableUpstreamIsServfail() throws Exception {
        upstream.close();
        // a UDP query to a closed port is refused at once, so this does not wait out the timeout
        assertThat(query("www.example.svc.test.", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void digAsksOverUdpAndTcp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dig")), "dig is not installed");
        records.serviceHandler().onAdd(service("web", "default", "10.96.0.42"));
        String port = Integer.toString(server.address().getPort());
        assertThat(dig("@127.0.0.1", "-p", port, "+short", "web.default.svc.cluster.local")).isEqualTo("10.96.0.42");
        assertThat(dig("@127.0.0.1", "-p", port, "+short", "+tcp", "web.default.svc.cluster.local")).isEqualTo("10.96.0.42");
        assertThat(dig("@127.0.0.1", "-p", port, "+short", "SRV", "_http._tcp.web.default.svc.cluster.local"))
                .isEqualTo("0 100 80 web.default.svc.cluster.local.");
        assertThat(dig("@127.0.0.1", "-p", port, "+short", "www.example.svc.test")).isEqualTo("10.1.2.3");
        assertThat(dig("@127.0.0.1", "-p", port, "nope.default.svc.cluster.local")).contains("status: NXDOMAIN");
    }

    @Test
    void resolvConfNameserversAreTheUpstreams(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, "# comment\nsearch example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.2\noptions edns0\n");
        assertThat(Forwarder.fromResolvConf(conf)).containsExactly(new InetSocketAddress("127.0.0.53", 53),
                new InetSocketAddress("10.0.0.2", 53));
        assertThat(Forwarder.fromResolvConf(dir.resolve("missing"))).isEmpty();
        assertThat(Forwarder.parse("127.0.0.1:5353")).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
    }

    private static String dig(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/dig", "+time=2", "+tries=1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().collect(Collectors.joining("\n"));
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }
}
