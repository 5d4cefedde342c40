package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One sandbox in detail. Unlike the CRI it carries no pod IP: the {@link PodNetwork} assigns IPs
 * and the kubelet keeps them; it carries the network namespace the PodNetwork must set up.
 *
 * @param networkNamespacePath the sandbox's network namespace ({@code /var/run/netns/...}); empty
 *        when it shares the node's network or the runtime makes none ({@code process}, {@code simulated})
 */
public record PodSandboxStatus(String id, PodSandboxMetadata metadata, PodSandboxState state, Instant createdAt,
                               Optional<String> networkNamespacePath, LinuxPodSandboxConfig linux,
                               Map<String, String> labels, Map<String, String> annotations) {
    public PodSandboxStatus {
        requireNonNull(id, "id is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(networkNamespacePath, "networkNamespacePath is null");
        requireNonNull(linux, "linux is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
    }
}
