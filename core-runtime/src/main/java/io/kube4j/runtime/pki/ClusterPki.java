package io.kube4j.runtime.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The cluster's PKI in one directory, created on first use and reused afterwards, as kubeadm lays
 * it out: {@code ca.crt}/{@code ca.key} (CN=kube4j-ca, 10 years), {@code apiserver.crt}/{@code .key}
 * (CN=kube4j-apiserver, serving) and {@code admin.crt}/{@code .key} (CN=kube4j-admin,
 * O=system:masters, client). Keys are EC P-256 in PKCS#8 PEM, readable by the owner only.
 *
 * <p>The CA is never replaced once it exists, because kubeconfigs and clients trust it. The two
 * leaf certificates are issued again when they no longer chain to the CA, no longer match their
 * key, expire within {@link #RENEW_BEFORE}, or (the serving one) lack a subject alt name the server
 * now needs. Instances are immutable and thread-safe.
 */
public final class ClusterPki {
    public static final String CA_NAME = "kube4j-ca";
    public static final String APISERVER_NAME = "kube4j-apiserver";
    public static final String ADMIN_NAME = "kube4j-admin";
    public static final String ADMIN_GROUP = "system:masters";

    /** The names every API server answers to: loopback and the in-cluster {@code kubernetes} Service. */
    public static final List<String> DEFAULT_DNS_NAMES = List.of("localhost", "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
    /** Loopback and the first address of the default Service range (the {@code kubernetes} Service). */
    public static final List<String> DEFAULT_IP_ADDRESSES = List.of("127.0.0.1", "10.96.0.1");

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    // Clients whose clock is a little behind must not see a certificate from the future.
    private static final Duration BACKDATE = Duration.ofHours(1);

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCertificate;
    private final X509Certificate serverCertificate;
    private final PrivateKey serverKey;
    private final X509Certificate adminCertificate;
    private final PrivateKey adminKey;

    private ClusterPki(X509Certificate caCertificate, X509Certificate serverCertificate, PrivateKey serverKey,
                       X509Certificate adminCertificate, PrivateKey adminKey) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
        this.adminCertificate = adminCertificate;
        this.adminKey = adminKey;
    }

    /**
     * Loads the PKI in {@code dir}, creating the directory and whatever is missing, stale or
     * lacking a name. {@code dnsNames} and {@code ipAddresses} are added to the defaults in the
     * serving certificate; an IP literal among the DNS names is taken as an IP address. Safe to
     * call from several processes at once: they take a file lock in {@code dir}.
     *
     * @throws IllegalArgumentException if an IP address is not an IP literal
     * @throws IllegalStateException    if {@code ca.crt} or {@code ca.key} exists without the other, or they do not match
     * @throws UncheckedIOException     if the files cannot be read or written
     */
    public static ClusterPki ensure(Path dir, List<String> dnsNames, List<String> ipAddresses) {
        return ensure(dir, dnsNames, ipAddresses, Clock.systemUTC());
    }

    static ClusterPki ensure(Path dir, List<String> dnsNames, List<String> ipAddresses, Clock clock) {
        requireNonNull(dir, "dir is null");
        requireNonNull(clock, "clock is null");
        SubjectAltNames names = SubjectAltNames.of(dnsNames, ipAddresses);
        IN_PROCESS.lock();
        try {
            createPrivateDirectory(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return new Issuer(dir, clock).ensure(names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the cluster PKI in " + dir + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** The CA certificate, in PEM: what kubeconfigs carry as {@code certificate-authority-data}. */
    public String caCertificatePem() {
        return Pem.certificate(caCertificate);
    }

    /** The CA certificate, for trust stores. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /**
     * A fresh PKCS#12 key store holding the serving key under alias {@code apiserver} with the chain
     * (serving certificate, CA), protected by {@code password}: for Jetty's
     * {@code SslContextFactory.Server#setKeyStore} with the same key store password.
     */
    public KeyStore serverKeyStore(char[] password) {
        requireNonNull(password, "password is null");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("apiserver", serverKey, password, new Certificate[] {serverCertificate, caCertificate});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the API server key store", e);
        }
    }

    /**
     * A fresh key store with the CA as its only trusted certificate: for the server's trust store,
     * so that it accepts client certificates issued by the CA (such as the admin one).
     */
    public KeyStore clientTrustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("kube4j-ca", caCertificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client trust store", e);
        }
    }

    /** The admin client certificate, in PEM: {@code client-certificate-data} of the admin kubeconfig. */
    public String adminCertificatePem() {
        return Pem.certificate(adminCertificate);
    }

    /** The admin client key, PKCS#8 PEM: {@code client-key-data} of the admin kubeconfig. Secret. */
    public String adminKeyPem() {
        return Pem.privateKey(adminKey);
    }

    X509Certificate serverCertificate() {
        return serverCertificate;
    }

    X509Certificate adminCertificate() {
        return adminCertificate;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix(dir.toAbsolutePath().getParent())) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The serving certificate's names: DNS names and IP addresses, defaults first. */
    record SubjectAltNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {
        static SubjectAltNames of(List<String> dnsNames, List<String> ipAddresses) {
            Set<String> dns = new LinkedHashSet<>(DEFAULT_DNS_NAMES);
            Set<InetAddress> ips = new LinkedHashSet<>();
            for (String ip : DEFAULT_IP_ADDRESSES) {
                ips.add(ipLiteral(ip, "default"));
            }
            for (String name : dnsNames) {
                requireNonNull(name, "a DNS name is null");
                if (IPAddress.isValid(name)) {
                    ips.add(ipLiteral(name, "DNS"));
                } else if (name.isBlank()) {
                    throw new IllegalArgumentException("a DNS name of the API server certificate is blank");
                } else {
                    dns.add(name.strip().toLowerCase(Locale.ROOT));
                }
            }
            for (String ip : ipAddresses) {
                requireNonNull(ip, "an IP address is null");
                ips.add(ipLiteral(ip, "IP"));
            }
            return new SubjectAltNames(Set.copyOf(dns), Set.copyOf(ips));
        }

        private static InetAddress ipLiteral(String text, String kind) {
            String trimmed = text.strip();
            if (!IPAddress.isValid(trimmed)) {
                throw new IllegalArgumentException("'" + text + "' given as " + kind
                        + " address of the API server certificate is not an IP address");
            }
            try {
                // A literal is parsed, never looked up.
                return InetAddress.getByName(trimmed);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
            }
        }

        boolean coveredBy(X509Certificate certificate) {
            Collection<List<?>> entries;
            try {
                entries = certificate.getSubjectAlternativeNames();
            } catch (CertificateParsingException e) {
                return false;
            }
            if (entries == null) {
                return false;
            }
            Set<String> presentDns = new LinkedHashSet<>();
            Set<InetAddress> presentIps = new LinkedHashSet<>();
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                String value = (String) entry.get(1);
                if (type == GeneralName.dNSName) {
                    presentDns.add(value.toLowerCase(Locale.ROOT));
                } else if (type == GeneralName.iPAddress && IPAddress.isValid(value)) {
                    presentIps.add(ipLiteral(value, "IP"));
                }
            }
            return presentDns.containsAll(dnsNames) && presentIps.containsAll(ipAddresses);
        }

        GeneralNames toGeneralNames() {
            List<GeneralName> names = new ArrayList<>();
            dnsNames.stream().sorted().forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
            ipAddresses.stream().map(InetAddress::getHostAddress).sorted()
                    .forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            return new GeneralNames(names.toArray(GeneralName[]::new));
        }
    }

    /** Loads and issues, while holding the directory's lock. */
    private static final class Issuer {
        private final Path dir;
        private final Clock clock;

        Issuer(Path dir, Clock clock) {
            this.dir = dir;
            this.clock = clock;
        }

        ClusterPki ensure(SubjectAltNames names) throws IOException {
            Path caCrt = dir.resolve("ca.crt");
            Path caKeyFile = dir.resolve("ca.key");
            X509Certificate ca;
            PrivateKey caKey;
            if (Files.exists(caCrt) != Files.exists(caKeyFile)) {
                throw new IllegalStateException("found only one of " + caCrt + " and " + caKeyFile
                        + "; restore the other, or delete both to start a new CA (clients trusting the old one will fail)");
            }
            if (Files.exists(caCrt)) {
                ca = Pem.readCertificate(caCrt);
                caKey = Pem.readPrivateKey(caKeyFile);
                if (!matches(caKey, ca)) {
                    throw new IllegalStateException(caKeyFile + " is not the key of " + caCrt);
                }
            } else {
                KeyPair pair = newKeyPair();
                ca = issueCa(pair);
                caKey = pair.getPrivate();
                write(caKeyFile, Pem.privateKey(caKey), true);
                write(caCrt, Pem.certificate(ca), false);
            }

            X500Name serverSubject = subject(APISERVER_NAME, null);
            Leaf server = loadLeaf("apiserver", ca, serverSubject, names::coveredBy);
            if (server == null) {
                KeyPair pair = newKeyPair();
                X509Certificate certificate = issueLeaf(ca, caKey, pair, serverSubject,
                        KeyPurposeId.id_kp_serverAuth, names.toGeneralNames());
                server = store("apiserver", certificate, pair.getPrivate());
            }

            X500Name adminSubject = subject(ADMIN_NAME, ADMIN_GROUP);
            Leaf admin = loadLeaf("admin", ca, adminSubject, leaf -> true);
            if (admin == null) {
                KeyPair pair = newKeyPair();
                X509Certificate certificate = issueLeaf(ca, caKey, pair, adminSubject,
                        KeyPurposeId.id_kp_clientAuth, null);
                admin = store("admin", certificate, pair.getPrivate());
            }
            return new ClusterPki(ca, server.certificate(), server.key(), admin.certificate(), admin.key());
        }

        private record Leaf(X509Certificate certificate, PrivateKey key) {
        }

        /** The stored leaf if it is still good, else null (it will be issued again). */
        private Leaf loadLeaf(String name, X509Certificate ca, X500Name subject, Predicate<X509Certificate> namesOk) {
            Path crt = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            if (!Files.exists(crt) || !Files.exists(key)) {
                return null;
            }
            try {
                X509Certificate certificate = Pem.readCertificate(crt);
                PrivateKey privateKey = Pem.readPrivateKey(key);
                certificate.verify(ca.getPublicKey());
                Instant now = clock.instant();
                boolean fresh = certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                        && !certificate.getNotBefore().toInstant().isAfter(now);
                boolean sameSubject = certificate.getSubjectX500Principal().equals(new X500Principal(subject.getEncoded()));
                if (fresh && sameSubject && matches(privateKey, certificate) && namesOk.test(certificate)) {
                    return new Leaf(certificate, privateKey);
                }
                return null;
            } catch (IOException | GeneralSecurityException e) {
                // Unreadable or signed by another CA: issuing a new one is the repair.
                return null;
            }
        }

        private Leaf store(String name, X509Certificate certificate, PrivateKey key) throws IOException {
            write(dir.resolve(name + ".key"), Pem.privateKey(key), true);
            write(dir.resolve(name + ".crt"), Pem.certificate(certificate), false);
            return new Leaf(certificate, key);
        }

        private X509Certificate issueCa(KeyPair pair) {
            Instant now = clock.instant();
            X500Name name = subject(CA_NAME, null);
            try {
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                        Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                extensions.createSubjectKeyIdentifier(pair.getPublic()));
                return sign(builder, pair.getPrivate());
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException("cannot issue the cluster CA", e);
            }
        }

        private X509Certificate issueLeaf(X509Certificate ca, PrivateKey caKey, KeyPair pair, X500Name subject,
                                          KeyPurposeId purpose, GeneralNames altNames) {
            Instant now = clock.instant();
            try {
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                        Date.from(now.minus(BACKDATE)), Date.from(leafNotAfter(ca, now)), subject, pair.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(usageFor(pair)))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                extensions.createAuthorityKeyIdentifier(ca))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                extensions.createSubjectKeyIdentifier(pair.getPublic()));
                if (altNames != null) {
                    builder.addExtension(Extension.subjectAlternativeName, false, altNames);
                }
                return sign(builder, caKey);
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException("cannot issue certificate " + subject, e);
            }
        }

        // A leaf never outlives its CA: clients would reject it for the remainder anyway.
        private static Instant leafNotAfter(X509Certificate ca, Instant now) {
            Instant wanted = now.plus(LEAF_VALIDITY);
            Instant caEnd = ca.getNotAfter().toInstant();
            return wanted.isAfter(caEnd) ? caEnd : wanted;
        }

        // keyEncipherment only means something for RSA key exchange.
        private static int usageFor(KeyPair pair) {
            return pair.getPublic().getAlgorithm().equals("RSA")
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature;
        }

        private void write(Path file, String pem, boolean secret) throws IOException {
            Path temp = secret && isPosix(dir)
                    ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp", ownerOnly())
                    : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(temp, pem, StandardCharsets.US_ASCII);
                if (!secret && isPosix(dir)) {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
            return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static X500Name subject(String commonName, String organization) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null) {
            builder.addRDN(BCStyle.O, organization);
        }
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(0);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has EC P-256", e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with a " + signer.getAlgorithm() + " key", e);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        try {
            byte[] probe = "kube4j key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
