package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What the kubelet asks for when it creates a container in a sandbox.
 *
 * @param image the image reference as pulled ({@link ImageService#pullImage})
 * @param command the entrypoint, empty for the image's
 * @param args the arguments, empty for the image's
 * @param workingDir "" for the image's
 * @param logPath where the runtime writes the container's stdout and stderr, relative to the
 *        sandbox's {@link PodSandboxConfig#logDirectory()}, in the CRI log format: one line per
 *        chunk, {@code <RFC 3339 nano timestamp> <stdout|stderr> <F|P> <text>} (P for a partial
 *        line), which {@code kubectl logs} reads back through the kubelet
 * @param labels the kubelet's own labels, which it lists containers by
 */
public record ContainerConfig(ContainerMetadata metadata, String image, List<String> command, List<String> args,
                              String workingDir, List<EnvEntry> envs, List<Mount> mounts, String logPath,
                              LinuxContainerResources resources, Map<String, String> labels,
                              Map<String, String> annotations, boolean stdin, boolean tty) {
    public ContainerConfig {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(image, "image is null");
        command = List.copyOf(requireNonNull(command, "command is null"));
        args = List.copyOf(requireNonNull(args, "args is null"));
        requireNonNull(workingDir, "workingDir is null");
        envs = List.copyOf(requireNonNull(envs, "envs is null"));
        mounts = List.copyOf(requireNonNull(mounts, "mounts is null"));
        requireNonNull(logPath, "logPath is null");
        requireNonNull(resources, "resources is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
        if (image.isBlank()) {
            throw new IllegalArgumentException("image is blank");
        }
        if (logPath.startsWith("/")) {
            throw new IllegalArgumentException("logPath is relative to the sandbox's logDirectory: " + logPath);
        }
    }
}
