package io.kube4j.runtime.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestClusterPki {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void createsTheFilesWithPrivateKeys() throws Exception {
        Path pki = dir.resolve("pki");
        ClusterPki.ensure(pki, List.of(), List.of());

        for (String name : List.of("ca", "apiserver", "admin")) {
            assertThat(Files.readString(pki.resolve(name + ".crt"))).startsWith("-----BEGIN CERTIFICATE-----\n");
            assertThat(Files.readString(pki.resolve(name + ".key"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve(name + ".key"))))
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki))).isEqualTo("rwx------");
    }

    @Test
    void caIsATenYearCa() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, List.of(), List.of());
        X509Certificate ca = pki.caCertificate();

        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=kube4j-ca");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3640));
        assertThat(parse(pki.caCertificatePem())).isEqualTo(ca);
        ca.verify(ca.getPublicKey());
    }

    @Test
    void reloadKeepsEverything() {
        ClusterPki first = ClusterPki.ensure(dir, List.of("node-1.example"), List.of("192.168.1.10"));
        ClusterPki second = ClusterPki.ensure(dir, List.of("node-1.example"), List.of("192.168.1.10"));

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serverCertificate()).isEqualTo(first.serverCertificate());
        assertThat(second.adminCertificatePem()).isEqualTo(first.adminCertificatePem());
        assertThat(second.adminKeyPem()).isEqualTo(first.adminKeyPem());
    }

    @Test
    void serverCertificateChainsToTheCaAndHasTheNames() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, List.of("Node-1.Example", "::1"), List.of("192.168.1.10"));
        X509Certificate server = pki.serverCertificate();

        assertChainsTo(server, pki.caCertificate());
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=kube4j-apiserver");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(altNames(server, 2)).containsExactlyInAnyOrder("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "node-1.example");
        assertThat(altNames(server, 7).stream().map(TestClusterPki::address).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(address("127.0.0.1"), address("10.96.0.1"), address("192.168.1.10"),
                        address("::1"));
    }

    @Test
    void missingNameReissuesTheServerCertificateOnly() {
        ClusterPki first = ClusterPki.ensure(dir, List.of(), List.of());
        ClusterPki second = ClusterPki.ensure(dir, List.of("api.example"), List.of("192.168.1.10"));
        ClusterPki third = ClusterPki.ensure(dir, List.of("api.example"), List.of());

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.adminCertificatePem()).isEqualTo(first.adminCertificatePem());
        assertThat(second.serverCertificate().getSerialNumber()).isNotEqualTo(first.serverCertificate().getSerialNumber());
        assertThat(altNames(second.serverCertificate(), 2)).contains("api.example");
        // Asking for fewer names than the certificate has is no reason to replace it.
        assertThat(third.serverCertificate()).isEqualTo(second.serverCertificate());
    }

    @Test
    void expiringLeavesAreReissuedUnderTheSameCa() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ClusterPki first = ClusterPki.ensure(dir, List.of(), List.of(), Clock.fixed(start, ZoneOffset.UTC));
        ClusterPki early = ClusterPki.ensure(dir, List.of(), List.of(),
                Clock.fixed(start.plus(Duration.ofDays(300)), ZoneOffset.UTC));
        ClusterPki late = ClusterPki.ensure(dir, List.of(), List.of(),
                Clock.fixed(start.plus(Duration.ofDays(340)), ZoneOffset.UTC));

        assertThat(early.serverCertificate()).isEqualTo(first.serverCertificate());
        assertThat(late.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(late.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(late.adminCertificatePem()).isNotEqualTo(first.adminCertificatePem());
        assertThat(late.serverCertificate().getNotAfter().toInstant())
                .isEqualTo(start.plus(Duration.ofDays(340)).plus(ClusterPki.LEAF_VALIDITY));
    }

    @Test
    void leafSignedByAnotherCaIsReplaced() throws Exception {
        Path other = dir.resolve("other");
        ClusterPki.ensure(other, List.of(), List.of());
        Path pki = dir.resolve("pki");
        ClusterPki mine = ClusterPki.ensure(pki, List.of(), List.of());
        Files.copy(other.resolve("apiserver.crt"), pki.resolve("apiserver.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.resolve("apiserver.key"), pki.resolve("apiserver.key"), StandardCopyOption.REPLACE_EXISTING);

        ClusterPki reloaded = ClusterPki.ensure(pki, List.of(), List.of());

        assertChainsTo(reloaded.serverCertificate(), mine.caCertificate());
    }

    @Test
    void existingRsaCaInTraditionalPemIsUsed() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=my-own-ca");
        Instant now = Instant.now();
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.TWO, Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))),
                name, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Files.writeString(dir.resolve("ca.crt"), Pem.certificate(ca));
        StringWriter key = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(key)) {
            writer.writeObject(pair.getPrivate());
        }
        assertThat(key.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        Files.writeString(dir.resolve("ca.key"), key.toString());

        ClusterPki pki = ClusterPki.ensure(dir, List.of(), List.of());

        assertThat(pki.caCertificate()).isEqualTo(ca);
        assertChainsTo(pki.serverCertificate(), ca);
        assertThat(pki.serverCertificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void adminCertificateIsAMasterClientCertificate() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir, List.of(), List.of());
        X509Certificate admin = parse(pki.adminCertificatePem());

        assertChainsTo(admin, pki.caCertificate());
        List<Rdn> rdns = new LdapName(admin.getSubjectX500Principal().getName()).getRdns();
        assertThat(rdns.stream().map(Rdn::toString)).containsExactlyInAnyOrder("CN=kube4j-admin", "O=system:masters");
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");

        PrivateKey key = parseKey(pki.adminKeyPem());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(admin.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void caKeyWithoutCertificateIsAnError() throws Exception {
        ClusterPki.ensure(dir, List.of(), List.of());
        Files.delete(dir.resolve("ca.crt"));

        assertThatThrownBy(() -> ClusterPki.ensure(dir, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("found only one of " + dir.resolve("ca.crt") + " and " + dir.resolve("ca.key"));
    }

    @Test
    void badIpAddressIsAnError() {
        assertThatThrownBy(() -> ClusterPki.ensure(dir, List.of(), List.of("node-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'node-1' given as IP address of the API server certificate is not an IP address");
        assertThat(dir.resolve("ca.key")).doesNotExist();
    }

    @Test
    void tlsHandshakeTrustingOnlyTheCa() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir.resolve("pki"), List.of(), List.of());

        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(pki.serverKeyStore(PASSWORD), PASSWORD);
        TrustManagerFactory clientCas = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        clientCas.init(pki.clientTrustStore());
        serverContext.init(keys.getKeyManagers(), clientCas.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> clientName = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(10_000);
                    InputStream in = socket.getInputStream();
                    int b = in.read();
                    socket.getOutputStream().write(b + 1);
                    socket.getOutputStream().flush();
                    return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            try (SSLSocket client = (SSLSocket) clientContext(pki, pki.caCertificate()).getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                client.setSoTimeout(10_000);
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                OutputStream out = client.getOutputStream();
                out.write(41);
                out.flush();
                assertThat(client.getInputStream().read()).isEqualTo(42);
                assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(pki.serverCertificate());
            }
            assertThat(clientName.get(10, TimeUnit.SECONDS)).contains("CN=kube4j-admin");
        }
    }

    @Test
    void tlsHandshakeFailsWithAnotherCa() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir.resolve("pki"), List.of(), List.of());
        ClusterPki stranger = ClusterPki.ensure(dir.resolve("stranger"), List.of(), List.of());

        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(pki.serverKeyStore(PASSWORD), PASSWORD);
        serverContext.init(keys.getKeyManagers(), null, null);

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                } catch (Exception expected) {
                    // The client aborts the handshake; only the client's view is under test.
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext(stranger, stranger.caCertificate()).getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                client.setSoTimeout(10_000);
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
            accepted.get(10, TimeUnit.SECONDS);
        }
    }

    private static SSLContext clientContext(ClusterPki identity, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        KeyStore clientKeys = KeyStore.getInstance("PKCS12");
        clientKeys.load(null, null);
        clientKeys.setKeyEntry("admin", parseKey(identity.adminKeyPem()), PASSWORD,
                new X509Certificate[] {parse(identity.adminCertificatePem())});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(clientKeys, PASSWORD);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static void assertChainsTo(X509Certificate leaf, X509Certificate ca) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), parameters);
    }

    private static List<String> altNames(X509Certificate certificate, int type) {
        try {
            return certificate.getSubjectAlternativeNames().stream()
                    .filter(entry -> (Integer) entry.get(0) == type)
                    .map(entry -> (String) entry.get(1))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    // Decoded with the JDK alone, to show the PEM is plain PKCS#8 that any client reads.
    private static PrivateKey parseKey(String pem) throws Exception {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
    }
}
