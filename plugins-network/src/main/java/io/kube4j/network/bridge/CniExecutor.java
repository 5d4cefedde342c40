package io.kube4j.network.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube4j.api.node.ContainerRuntimeException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs one CNI plugin executable as the CNI specification says: the operation and its arguments in
 * {@code CNI_*} environment variables, the network configuration on standard input, the result (or
 * an error object with {@code code}, {@code msg} and {@code details}) on standard output.
 */
final class CniExecutor {
    /** A plugin that takes longer than this is stuck (they answer in milliseconds). */
    private static final long TIMEOUT_SECONDS = 30;

    private final ObjectMapper json = new ObjectMapper();
    private final Path binDir;
    private final String netns;

    /**
     * @param binDir where the plugin executables are; it is also {@code CNI_PATH}, where {@code bridge}
     *               finds {@code host-local}
     * @param netns  the {@code ip netns} name to run the plugins in, or "" for this process's namespace
     */
    CniExecutor(String binDir, String netns) {
        this.binDir = Path.of(requireNonNull(binDir, "binDir is null"));
        this.netns = requireNonNull(netns, "netns is null");
    }

    /** One call of the CNI protocol. */
    record Call(String command, String containerId, String netnsPath, String ifName, String args) {
        Call {
            requireNonNull(command, "command is null");
            requireNonNull(containerId, "containerId is null");
            requireNonNull(netnsPath, "netnsPath is null");
            requireNonNull(ifName, "ifName is null");
            requireNonNull(args, "args is null");
        }
    }

    /**
     * Runs plugin {@code type} and returns its result; an empty object for operations without one
     * (DEL, CHECK). Throws {@link ContainerRuntimeException} with the plugin's own message when it fails.
     */
    JsonNode run(String type, Call call, JsonNode networkConfig) {
        Path executable = binDir.resolve(type);
        if (!Files.isExecutable(executable)) {
            throw new ContainerRuntimeException("CNI plugin " + type + " not found at " + executable
                    + " (apt-get install containernetworking-plugins)");
        }
        List<String> command = new ArrayList<>();
        if (!netns.isEmpty()) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.add(executable.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        Map<String, String> env = builder.environment();
        env.put("CNI_COMMAND", call.command());
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netnsPath());
        env.put("CNI_IFNAME", call.ifName());
        env.put("CNI_ARGS", call.args());
        env.put("CNI_PATH", binDir.toString());
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(json.writeValueAsBytes(networkConfig));
            }
            // stderr is drained beside stdout, so that a chatty plugin cannot block on a full pipe.
            CompletableFuture<String> stderr = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                } catch (IOException e) {
                    stderr.complete("");
                }
            });
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ContainerRuntimeException("CNI plugin " + type + " " + call.command() + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            String err = stderr.join();
            JsonNode result = out.length == 0 ? json.createObjectNode() : json.readTree(out);
            if (process.exitValue() != 0) {
                throw new ContainerRuntimeException("CNI plugin " + type + " " + call.command() + " failed"
                        + describe(result, err));
            }
            return result;
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot run CNI plugin " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while running CNI plugin " + type, e);
        }
    }

    private static String describe(JsonNode error, String stderr) {
        StringBuilder text = new StringBuilder();
        if (error.has("code")) {
            text.append(" (code ").append(error.path("code").asInt()).append(')');
        }
        if (error.hasNonNull("msg")) {
            text.append(": ").append(error.path("msg").asText());
        }
        if (error.hasNonNull("details") && !error.path("details").asText().isEmpty()) {
            text.append(": ").append(error.path("details").asText());
        }
        if (text.isEmpty() || !stderr.isEmpty()) {
            text.append(stderr.isEmpty() ? "" : " [" + stderr + "]");
        }
        return text.toString();
    }
}
