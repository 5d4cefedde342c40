package io.kube4j.runtime.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** PEM encoding of certificates and private keys. */
final class Pem {
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** PKCS#8 ({@code PRIVATE KEY}), which Go's crypto/tls, OpenSSL and the JDK all read. */
    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads PKCS#8 as well as the traditional PKCS#1 RSA and SEC1 EC forms (kubeadm writes PKCS#1). */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            PrivateKeyInfo info;
            if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else {
                throw new IOException("not an unencrypted PEM private key: " + file);
            }
            return toJdkKey(info, file);
        }
    }

    // The JDK's own providers, not Bouncy Castle's, so that nothing has to be registered globally.
    private static PrivateKey toJdkKey(PrivateKeyInfo info, Path file) throws IOException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else {
            throw new IOException("unsupported private key algorithm " + algorithm + " in " + file + " (use RSA or EC)");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read private key " + file + ": " + e.getMessage(), e);
        }
    }
}
