package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Which pod to (un)wire, as CNI's arguments: {@code CNI_CONTAINERID} is the sandbox id,
 * {@code CNI_NETNS} the network namespace, {@code CNI_IFNAME} the interface, and
 * {@code K8S_POD_NAMESPACE}/{@code K8S_POD_NAME}/{@code K8S_POD_UID} the pod.
 *
 * @param networkNamespacePath empty for pods on the node's network and for runtimes without namespaces
 * @param interfaceName the interface to make inside the namespace, {@code eth0} by default
 * @param portMappings the pod's host ports, for plugins that publish them
 */
public record PodNetworkRequest(String namespace, String name, String podUid, String sandboxId,
                                Optional<String> networkNamespacePath, String interfaceName,
                                List<PortMapping> portMappings) {

    public static final String DEFAULT_INTERFACE = "eth0";

    public PodNetworkRequest {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(podUid, "podUid is null");
        requireNonNull(sandboxId, "sandboxId is null");
        requireNonNull(networkNamespacePath, "networkNamespacePath is null");
        requireNonNull(interfaceName, "interfaceName is null");
        portMappings = List.copyOf(requireNonNull(portMappings, "portMappings is null"));
        if (sandboxId.isBlank()) {
            throw new IllegalArgumentException("sandboxId is blank");
        }
        if (interfaceName.isBlank() || interfaceName.length() > 15) {
            throw new IllegalArgumentException("interfaceName must be 1..15 characters: '" + interfaceName + "'");
        }
    }
}
