package io.kube4j.runtime.assembly;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** Writes the kubeconfig that points kubectl (or any client) at the cluster. */
final class Kubeconfig {
    private Kubeconfig() {
    }

    static void write(Path file, String clusterName, URI server, Optional<String> caPem, Optional<String> token)
            throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v1\nkind: Config\nclusters:\n- name: ").append(clusterName).append("\n  cluster:\n")
                .append("    server: ").append(server).append('\n');
        caPem.ifPresent(pem -> y.append("    certificate-authority-data: ")
                .append(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))).append('\n'));
        String user = Credentials.ADMIN_USER + "@" + clusterName;
        y.append("users:\n- name: ").append(user).append("\n  user:");
        if (token.isPresent()) {
            y.append("\n    token: ").append(token.get()).append('\n');
        } else {
            y.append(" {}\n");
        }
        y.append("contexts:\n- name: ").append(clusterName).append("\n  context:\n    cluster: ").append(clusterName)
                .append("\n    user: ").append(user).append("\n    namespace: default\n")
                .append("current-context: ").append(clusterName).append('\n');
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, y.toString(), StandardCharsets.UTF_8);
        Credentials.restrict(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
