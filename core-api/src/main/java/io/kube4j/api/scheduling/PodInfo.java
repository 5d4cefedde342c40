package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod with what the scheduler computed from it once, so that plugins do not recompute it per
 * node. The pod is shared with the scheduler's cache: never change it.
 *
 * @param pod the pod
 * @param requests what the pod asks of a node: the larger of the sum of its containers' requests
 *        and the largest init container request, plus the pod overhead, plus one pod
 * @param nonZeroRequests {@code requests} with a zero CPU or memory request counted as the
 *        scheduler's defaults (100 millicores, 200 MiB), so that scoring spreads pods that ask for nothing
 */
public record PodInfo(Pod pod, Resources requests, Resources nonZeroRequests) {

    public PodInfo {
        requireNonNull(pod, "pod is null");
        requireNonNull(requests, "requests is null");
        requireNonNull(nonZeroRequests, "nonZeroRequests is null");
        requireNonNull(pod.getMetadata(), "pod.metadata is null");
        requireNonNull(pod.getMetadata().getName(), "pod.metadata.name is null");
    }

    public String namespace() {
        String namespace = pod.getMetadata().getNamespace();
        return namespace == null ? "" : namespace;
    }

    public String name() {
        return pod.getMetadata().getName();
    }

    /** The pod's {@code spec.priority}; 0 when absent (a pod admitted without the Priority plugin), as kube counts it. */
    public int priority() {
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return priority == null ? 0 : priority;
    }

    /** {@code namespace/name}, the pod's key in queues and caches. */
    public String key() {
        return namespace() + "/" + name();
    }

    /** Whether the pod has pod affinity or pod anti-affinity terms of any kind (required or preferred). */
    public boolean hasPodAffinity() {
        Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        return affinity != null && (affinity.getPodAffinity() != null || affinity.getPodAntiAffinity() != null);
    }

    /** Whether the pod has at least one required ({@code requiredDuringSchedulingIgnoredDuringExecution}) pod anti-affinity term. */
    public boolean hasRequiredPodAntiAffinity() {
        Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        if (affinity == null || affinity.getPodAntiAffinity() == null) {
            return false;
        }
        List<PodAffinityTerm> terms = affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        return terms != null && !terms.isEmpty();
    }

    /** The host ports the pod's containers (init containers included) bind on their node. */
    public List<HostPort> hostPorts() {
        List<HostPort> ports = new ArrayList<>();
        if (pod.getSpec() == null) {
            return ports;
        }
        List<Container> containers = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
        containers.addAll(orEmpty(pod.getSpec().getContainers()));
        for (Container container : containers) {
            for (ContainerPort port : orEmpty(container.getPorts())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? HostPort.ANY_IP : port.getHostIP();
                    String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
                    ports.add(new HostPort(ip, protocol, port.getHostPort()));
                }
            }
        }
        return ports;
    }

    // Lists are null rather than empty when a pod was read from JSON that said "null".
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
