package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/**
 * A wired pod's addresses, which the kubelet writes to {@code status.podIP(s)}.
 *
 * @param ips the pod's IPs, at most one per family, the primary first
 * @param interfaceName the interface they are on
 */
public record PodNetworkStatus(List<String> ips, String interfaceName) {
    public PodNetworkStatus {
        ips = List.copyOf(requireNonNull(ips, "ips is null"));
        requireNonNull(interfaceName, "interfaceName is null");
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("a wired pod has at least one IP");
        }
        if (new HashSet<>(ips).size() != ips.size()) {
            throw new IllegalArgumentException("duplicate IPs: " + ips);
        }
        for (String ip : ips) {
            if (ip.isBlank()) {
                throw new IllegalArgumentException("blank IP in " + ips);
            }
        }
    }

    /** The primary IP ({@code status.podIP}). */
    public String ip() {
        return ips.getFirst();
    }
}
