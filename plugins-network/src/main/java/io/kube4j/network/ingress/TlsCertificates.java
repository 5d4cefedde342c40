package io.kube4j.network.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The server certificates of the ingress: one key entry per TLS Secret ({@code tls.crt} with its
 * chain, {@code tls.key} in PKCS#1, PKCS#8 or SEC1 PEM), chosen by the client's SNI host against
 * each certificate's names, and a self-signed fallback for every other host, as ingress-nginx's
 * "Fake Certificate".
 */
final class TlsCertificates {
    static final char[] NO_PASSWORD = new char[0];
    static final String FALLBACK_ALIAS = "fallback";

    private TlsCertificates() {
    }

    /** A key store with the fallback certificate and one entry per usable Secret; the others are reported to {@code problems}. */
    static KeyStore keyStore(KeyStore.PrivateKeyEntry fallback, Map<String, Secret> secrets, List<String> problems) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, NO_PASSWORD);
            store.setKeyEntry(FALLBACK_ALIAS, fallback.getPrivateKey(), NO_PASSWORD, fallback.getCertificateChain());
            for (Map.Entry<String, Secret> e : secrets.entrySet()) {
                try {
                    KeyStore.PrivateKeyEntry entry = entry(e.getValue());
                    store.setKeyEntry(e.getKey(), entry.getPrivateKey(), NO_PASSWORD, entry.getCertificateChain());
                } catch (IllegalArgumentException | GeneralSecurityException | IOException problem) {
                    problems.add("secret " + e.getKey() + ": " + problem.getMessage());
                }
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a PKCS12 key store", e);
        }
    }

    static KeyStore.PrivateKeyEntry entry(Secret secret) throws GeneralSecurityException, IOException {
        Map<String, String> data = secret.getData();
        if (data == null || data.get("tls.crt") == null || data.get("tls.key") == null) {
            throw new IllegalArgumentException("has no tls.crt and tls.key");
        }
        byte[] crt = Base64.getDecoder().decode(data.get("tls.crt"));
        String key = new String(Base64.getDecoder().decode(data.get("tls.key")), StandardCharsets.US_ASCII);
        List<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(crt)).stream().toList();
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("tls.crt holds no certificate");
        }
        return new KeyStore.PrivateKeyEntry(privateKey(key), chain.toArray(Certificate[]::new));
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("tls.key is not an unencrypted PEM private key");
        }
    }

    /** A self-signed certificate for hosts without a Secret, valid for a year from {@code now}. */
    static KeyStore.PrivateKeyEntry selfSigned(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("O=kube4j,CN=Kubernetes Ingress Controller Fake Certificate");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "ingress.local")));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[]{certificate});
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the fallback certificate", e);
        }
    }
}
