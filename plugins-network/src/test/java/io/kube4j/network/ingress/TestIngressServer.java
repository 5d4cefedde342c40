package io.kube4j.network.ingress;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP and TLS through the ingress to real backends on loopback; the caches are filled by the test. */
class TestIngressServer {
    private final MapLister<Ingress> ingresses = new MapLister<>();
    private final MapLister<Service> services = new MapLister<>();
    private final MapLister<EndpointSlice> slices = new MapLister<>();
    private final MapLister<Secret> secrets = new MapLister<>();
    private final List<HttpServer> backends = new ArrayList<>();
    private IngressServer ingress;

    @BeforeEach
    void start() throws Exception {
        ingress = new IngressServer(new IngressConfig("127.0.0.1", 0, 0, null), ingresses,
                new ServiceUpstreams(services, slices), secrets, Clock.systemUTC());
        ingress.start();
    }

    @AfterEach
    void stop() {
        ingress.close();
        backends.forEach(b -> b.stop(0));
    }

    /** A backend that answers "<name> <Host header> <path>". */
    private int backend(String name) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestHeaders().getFirst("Host") + " "
                    + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    private void service(String name, int... endpointPorts) {
        services.put(new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build());
        EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default")
                .withName(name + "-abc").withLabels(Map.of(ServiceUpstreams.SERVICE_NAME_LABEL, name)).endMetadata()
                .withAddressType("IPv4");
        // On loopback every backend has its own port; the slice lists one port, so one slice per backend.
        slices.remove("default", name + "-abc");
        for (int i = 0; i < endpointPorts.length; i++) {
            slices.put(new EndpointSliceBuilder(slice.build()).editMetadata().withName(name + "-" + i).endMetadata()
                    .addNewPort().withName("http").withPort(endpointPorts[i]).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions().endEndpoint()
                    .build());
        }
    }

    private static Ingress ingress(String name, String host, String service, String tlsSecret) {
        IngressBuilder builder = new IngressBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata().withNewSpec().addNewRule().withHost(host)
                .withNewHttp().addNewPath().withPathType("Prefix").withPath("/").withNewBackend().withNewService()
                .withName(service).withNewPort().withName("http").endPort().endService().endBackend().endPath()
                .endHttp().endRule().endSpec();
        if (tlsSecret != null) {
            builder.editSpec().addNewTl().withHosts(host).withSecretName(tlsSecret).endTl().endSpec();
        }
        return builder.build();
    }

    private String get(String host, String path) throws Exception {
        return exchange(new Socket("127.0.0.1", ingress.httpPort()), host, path);
    }

    private static String exchange(Socket socket, String host, String path) throws Exception {
        try (socket) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(0, response.indexOf("\r\n"));
            return status.split(" ")[1] + " " + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void twoHostsReachTheirOwnServicesAndEveryEndpointInTurn() throws Exception {
        service("blue", backend("blue-1"), backend("blue-2"));
        service("green", backend("green-1"));
        ingresses.put(ingress("blue", "blue.example.com", "blue", null));
        ingresses.put(ingress("green", "green.example.com", "green", null));
        ingress.refresh();

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            String answer = get("blue.example.com", "/shop/cart");
            assertThat(answer).startsWith("200 blue-").endsWith(" blue.example.com /shop/cart");
            seen.add(answer.split(" ")[1]);
        }
        assertThat(seen).containsExactlyInAnyOrder("blue-1", "blue-2");
        assertThat(get("green.example.com:80", "/")).isEqualTo("200 green-1 green.example.com:80 /");
        assertThat(get("red.example.com", "/")).startsWith("404 ").contains("no Ingress rule for host red.example.com");
    }

    @Test
    void aServiceWithoutReadyEndpointsAnswers503AndAnotherClassIsIgnored() throws Exception {
        service("empty");
        ingresses.put(ingress("empty", "empty.example.com", "empty", null));
        ingresses.put(new IngressBuilder(ingress("other", "other.example.com", "empty", null)).editSpec()
                .withIngressClassName("nginx").endSpec().build());
        ingress.refresh();

        assertThat(get("empty.example.com", "/")).startsWith("503 ").contains("has no ready endpoint");
        assertThat(get("other.example.com", "/")).startsWith("404 ");
    }

    @Test
    void tlsHostsGetTheirSecretsCertificateBySniAndOthersTheFallback() throws Exception {
        service("secure", backend("secure-1"));
        secrets.put(tlsSecret("secure-tls", "secure.example.com"));
        ingresses.put(ingress("secure", "secure.example.com", "secure", "secure-tls"));
        ingress.refresh();

        SSLSocket socket = tlsSocket("secure.example.com");
        X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        assertThat(served.getSubjectX500Principal().getName()).contains("CN=secure.example.com");
        assertThat(exchange(socket, "secure.example.com", "/x")).isEqualTo("200 secure-1 secure.example.com /x");

        SSLSocket other = tlsSocket("unknown.example.com");
        assertThat(((X509Certificate) other.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .contains("Fake Certificate");
        other.close();
    }

    private SSLSocket tlsSocket(String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", ingress.httpsPort().orElseThrow());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static Secret tlsSecret(String name, String host) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + host);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        return new SecretBuilder().withNewMetadata().withNamespace("default").withName(name).withResourceVersion("1")
                .endMetadata().withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", base64Pem(certificate), "tls.key", base64Pem(pair.getPrivate()))).build();
    }

    private static String base64Pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
