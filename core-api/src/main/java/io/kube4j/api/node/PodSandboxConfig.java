package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet asks for when it starts a pod's sandbox: the environment its containers share.
 *
 * @param hostname the pod's hostname
 * @param logDirectory where the pod's container logs go (each container's {@link ContainerConfig#logPath()} is under it)
 * @param labels the kubelet's own labels, which it lists sandboxes by (pod name, namespace, uid)
 * @param annotations the pod's annotations
 */
public record PodSandboxConfig(PodSandboxMetadata metadata, String hostname, Path logDirectory, DnsConfig dnsConfig,
                               List<PortMapping> portMappings, Map<String, String> labels,
                               Map<String, String> annotations, LinuxPodSandboxConfig linux) {
    public PodSandboxConfig {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(logDirectory, "logDirectory is null");
        requireNonNull(dnsConfig, "dnsConfig is null");
        portMappings = List.copyOf(requireNonNull(portMappings, "portMappings is null"));
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
        requireNonNull(linux, "linux is null");
    }
}
