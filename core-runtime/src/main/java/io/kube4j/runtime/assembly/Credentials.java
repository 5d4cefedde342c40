package io.kube4j.runtime.assembly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's admin credential: a bearer token for user {@code kube4j-admin} in group
 * {@code system:masters}, kept in the token file of the {@code token} authenticator (created with
 * that one line when missing), and written into the kubeconfig.
 */
final class Credentials {
    static final String ADMIN_USER = "kube4j-admin";

    private Credentials() {
    }

    /** The admin token of {@code tokenFile}, creating the file with a fresh token if it does not exist. */
    static Optional<String> ensureAdminToken(Path tokenFile) throws IOException {
        if (!Files.exists(tokenFile)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            Files.createDirectories(tokenFile.toAbsolutePath().getParent());
            Files.writeString(tokenFile, "# token,user,uid,\"groups\" (kube-apiserver --token-auth-file format)\n"
                    + token + "," + ADMIN_USER + ",kube4j-admin,\"system:masters\"\n", StandardCharsets.UTF_8);
            restrict(tokenFile);
            return Optional.of(token);
        }
        List<String> lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
        for (String line : lines) {
            String[] fields = line.split(",", 4);
            if (fields.length >= 2 && !line.startsWith("#") && fields[1].trim().equals(ADMIN_USER)) {
                return Optional.of(fields[0].trim());
            }
        }
        return Optional.empty();
    }

    static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }
}
