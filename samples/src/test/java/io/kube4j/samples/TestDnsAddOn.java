package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The dns add-on in a cluster: started from the profile's {@code addons:}, it keeps
 * {@code kube-system/kube-dns} with Endpoints and an EndpointSlice at the port it really listens on,
 * and answers for Services as they are created, changed and deleted, over UDP (dnsjava and dig) and TCP.
 */
class TestDnsAddOn {
    private static Cluster cluster;
    private static Api api;
    private static Kubectl kubectl;
    private static InetSocketAddress dns;

    @BeforeAll
    static void start() throws Exception {
        Path file = Profiles.DIR.resolve("memory.yaml");
        ClusterProfile p = ProfileLoader.load(file).withDataDir(Files.createTempDirectory("kube4j-dns").toString())
                .withAddress("127.0.0.1:0").withAddons(List.of(PluginSlot.of("dns")));
        cluster = Cluster.start(Profiles.onFreePorts(p), file.toString(), Optional.empty());
        api = new Api(cluster);
        kubectl = new Kubectl(cluster.kubeconfig());
        JsonNode ep = api.send("GET", "/api/v1/namespaces/kube-system/endpoints/kube-dns", null, null).body();
        dns = new InetSocketAddress(ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText(),
                ep.path("subsets").get(0).path("ports").get(0).path("port").asInt());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(dns);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(5));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    void kubeDnsServicePointsWhereTheServerListens() throws Exception {
        JsonNode svc = api.send("GET", "/api/v1/namespaces/kube-system/services/kube-dns", null, null).body();
        assertThat(svc.path("spec").path("clusterIP").asText()).isEqualTo("10.96.0.10");
        assertThat(svc.path("spec").has("selector")).isFalse();
        assertThat(svc.path("spec").path("ports").findValuesAsText("name")).containsExactly("dns", "dns-tcp");
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(dns.getPort());
        assertThat(dns.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        JsonNode slice = api.send("GET", "/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices/kube-dns",
                null, null).body();
        assertThat(slice.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(slice.path("ports").findValuesAsText("port")).containsOnly(Integer.toString(dns.getPort()));
        // the kube-dns Service answers for itself, as it does in a kubeadm cluster
        assertThat(addresses(query("kube-dns.kube-system.svc.cluster.local.", Type.A, false))).containsExactly("10.96.0.10");
        assertThat(addresses(query("kubernetes.default.svc.cluster.local.", Type.A, true))).containsExactly("10.96.0.1");
        Kubectl.Result get = kubectl.run("get", "svc", "-n", "kube-system", "kube-dns").ok();
        assertThat(get.out()).contains("10.96.0.10").contains("53/UDP,53/TCP");
    }

    @Test
    void serviceIsAnsweredWhileItExists() throws Exception {
        kubectl.run("create", "service", "clusterip", "dns-web", "--tcp=80:8080").ok();
        String ip = api.send("GET", "/api/v1/namespaces/default/services/dns-web", null, null).body()
                .path("spec").path("clusterIP").asText();
        Clients.await("dns-web in DNS", Duration.ofSeconds(10),
                () -> answers("dns-web.default.svc.cluster.local.").equals(List.of(ip)));
        assertThat(dig("+short", "dns-web.default.svc.cluster.local")).isEqualTo(ip);
        assertThat(dig("+short", "+tcp", "SRV", "_80-8080._tcp.dns-web.default.svc.cluster.local"))
                .isEqualTo("0 100 80 dns-web.default.svc.cluster.local.");
        kubectl.run("delete", "svc", "dns-web").ok();
        Clients.await("dns-web gone from DNS", Duration.ofSeconds(10),
                () -> rcode("dns-web.default.svc.cluster.local.") == Rcode.NXDOMAIN);
    }

    @Test
    void headlessServiceWithoutSelectorAnswersItsSliceEndpoints() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: dns-db}
                spec:
                  clusterIP: None
                  ports: [{name: pg, port: 5432}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: dns-db-1
                  labels: {kubernetes.io/service-name: dns-db}
                addressType: IPv4
                ports: [{name: pg, port: 5432, protocol: TCP}]
                endpoints:
                  - addresses: [10.244.0.11]
                    conditions: {ready: true}
                  - addresses: [10.244.0.12]
                    conditions: {ready: false}
                """, "apply", "-f", "-").ok();
        Clients.await("dns-db in DNS", Duration.ofSeconds(10),
                () -> answers("dns-db.default.svc.cluster.local.").equals(List.of("10.244.0.11")));
        assertThat(dig("+short", "SRV", "_pg._tcp.dns-db.default.svc.cluster.local"))
                .isEqualTo("0 100 5432 10-244-0-11.dns-db.default.svc.cluster.local.");
        kubectl.run("delete", "svc", "dns-db").ok();
        kubectl.run("delete", "endpointslice", "dns-db-1").ok();
    }

    @Test
    void unknownAddOnIsAProfileErrorNamingTheChoices(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: bad}
                apiserver:
                  storage: {plugin: memory}
                addons:
                  - {plugin: dsn}
                """);
        ClusterProfile p = ProfileLoader.load(file).withDataDir(dir.toString()).withAddress("127.0.0.1:0");
        assertThatThrownBy(() -> Cluster.start(p, file.toString(), Optional.empty()))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith(file + ":7: addons[0]: unknown add-on plugin 'dsn'; available: ")
                .hasMessageContaining("dns");
        Files.writeString(file, Files.readString(file).replace("{plugin: dsn}", "{plugin: dns, config: {prot: 53}}"));
        ClusterProfile q = ProfileLoader.load(file).withDataDir(dir.toString()).withAddress("127.0.0.1:0");
        assertThatThrownBy(() -> Cluster.start(q, file.toString(), Optional.empty()))
                .hasMessageStartingWith(file + ":7: addons[0] (dns): unknown config key 'prot'; valid keys: ");
    }

    private static List<String> answers(String name) {
        try {
            return addresses(query(name, Type.A, false));
        } catch (Exception e) {
            return List.of();
        }
    }

    private static int rcode(String name) {
        try {
            return query(name, Type.A, false).getRcode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String dig(String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dig")), "dig is not installed");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/dig", "+time=2", "+tries=1", "@127.0.0.1", "-p",
                Integer.toString(dns.getPort())));
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
