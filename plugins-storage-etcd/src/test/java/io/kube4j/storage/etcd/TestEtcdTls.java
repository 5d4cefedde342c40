package io.kube4j.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.StoreException;
import io.kube4j.api.storage.WriteResult;
import io.kube4j.storage.conformance.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to etcd with client certificates, as kube-apiserver's --etcd-cafile/--etcd-certfile/--etcd-keyfile. */
class TestEtcdTls {
    @TempDir
    Path dir;

    @Test
    void theStoreTalksTlsWithAClientCertificateAndIsRefusedWithoutOne() throws Exception {
        assumeTrue(EtcdProcess.available(), "etcd is not installed (apt-get install etcd-server)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path pki = Files.createDirectories(dir.resolve("pki"));
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=etcd-ca");
        for (String who : List.of("server", "client")) {
            openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            Files.writeString(pki.resolve(who + ".ext"), who.equals("server")
                    ? "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" : "extendedKeyUsage=clientAuth\n");
            openssl(pki, "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "1", "-extfile", who + ".ext");
        }
        try (EtcdProcess etcd = EtcdProcess.startTls(dir.resolve("etcd"), pki.resolve("server.crt"),
                pki.resolve("server.key"), pki.resolve("ca.crt"))) {
            assertThat(etcd.endpoint()).startsWith("https://");
            // File names are relative to the data directory, as in a profile.
            EtcdConfig config = new EtcdConfig(List.of(etcd.endpoint()), "", "0", "5s", "pki/ca.crt", "pki/client.crt",
                    "pki/client.key");
            try (Store store = new EtcdStorageBackend().open(config, new TestPluginContext(dir))) {
                assertThat(store.create("/secure", "yes".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(WriteResult.Written.class);
                assertThat(new String(store.get("/secure").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("yes");
            }
            EtcdConfig noClientCert = new EtcdConfig(List.of(etcd.endpoint()), "", "0", "3s", "pki/ca.crt", null, null);
            assertThatThrownBy(() -> {
                try (Store store = new EtcdStorageBackend().open(noClientCert, new TestPluginContext(dir))) {
                    store.get("/secure");
                }
            }).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void tlsFilesNeedHttpsEndpointsAndCertAndKeyGoTogether() {
        assertThatThrownBy(() -> new EtcdConfig(List.of("http://127.0.0.1:2379"), null, null, null, "ca.crt", null, null))
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> new EtcdConfig(List.of("https://127.0.0.1:2379"), null, null, null, null, "c.crt", null))
                .hasMessageContaining("certFile and keyFile go together");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }
}
