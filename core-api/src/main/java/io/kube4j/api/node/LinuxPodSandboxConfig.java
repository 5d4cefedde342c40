package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The Linux side of a sandbox.
 *
 * @param cgroupParent the cgroup the pod's containers go under, "" for the runtime's choice
 * @param network {@code NODE} for {@code hostNetwork: true}, else {@code POD}
 * @param pid {@code NODE} for {@code hostPID}, {@code POD} for {@code shareProcessNamespace}, else {@code CONTAINER}
 * @param ipc {@code NODE} for {@code hostIPC}, else {@code POD}
 * @param privileged whether any container of the pod is privileged
 * @param runAsUser the pod's {@code securityContext.runAsUser}
 * @param sysctls the pod's namespaced sysctls
 */
public record LinuxPodSandboxConfig(String cgroupParent, NamespaceMode network, NamespaceMode pid, NamespaceMode ipc,
                                    boolean privileged, Optional<Long> runAsUser, Map<String, String> sysctls) {
    public LinuxPodSandboxConfig {
        requireNonNull(cgroupParent, "cgroupParent is null");
        requireNonNull(network, "network is null");
        requireNonNull(pid, "pid is null");
        requireNonNull(ipc, "ipc is null");
        requireNonNull(runAsUser, "runAsUser is null");
        sysctls = Map.copyOf(requireNonNull(sysctls, "sysctls is null"));
        if (network == NamespaceMode.CONTAINER || ipc == NamespaceMode.CONTAINER) {
            throw new IllegalArgumentException("network and ipc namespaces are per pod or per node, not per container");
        }
    }

    /** A pod with its own network, per-container PIDs, and nothing special. */
    public static final LinuxPodSandboxConfig DEFAULT = new LinuxPodSandboxConfig("", NamespaceMode.POD,
            NamespaceMode.CONTAINER, NamespaceMode.POD, false, Optional.empty(), Map.of());

    public boolean hostNetwork() {
        return network == NamespaceMode.NODE;
    }
}
