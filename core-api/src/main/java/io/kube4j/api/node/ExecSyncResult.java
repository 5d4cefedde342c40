package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a command run in a container (an exec probe) printed and how it ended. The arrays are
 * copied in and out, so the record stays immutable.
 */
public record ExecSyncResult(byte[] stdout, byte[] stderr, int exitCode) {
    public ExecSyncResult {
        stdout = requireNonNull(stdout, "stdout is null").clone();
        stderr = requireNonNull(stderr, "stderr is null").clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutUtf8() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrUtf8() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecSyncResult that && exitCode == that.exitCode
                && Arrays.equals(stdout, that.stdout) && Arrays.equals(stderr, that.stderr);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr)) + exitCode;
    }

    @Override
    public String toString() {
        return "ExecSyncResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
    }
}
