package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * A node as one scheduling cycle sees it: an immutable snapshot taken at the start of the cycle,
 * so that every plugin sees the same cluster. The Node and the pods are shared with the
 * scheduler's cache: never change them. What-if copies (preemption) are made with
 * {@link #withPod} and {@link #withoutPod}.
 *
 * @param node the Node object
 * @param pods the pods assigned (or assumed) to the node, including ones still binding
 * @param requested the sum of the pods' {@link PodInfo#requests()}
 * @param nonZeroRequested the sum of the pods' {@link PodInfo#nonZeroRequests()}
 * @param allocatable what the node offers to pods ({@code status.allocatable})
 * @param usedPorts the host ports the pods use
 * @param imageStates the images on the node, by name as listed in {@code status.images[].names}
 */
public record NodeInfo(Node node, List<PodInfo> pods, Resources requested, Resources nonZeroRequested,
                       Resources allocatable, Set<HostPort> usedPorts, Map<String, ImageState> imageStates) {

    public NodeInfo {
        requireNonNull(node, "node is null");
        requireNonNull(node.getMetadata(), "node.metadata is null");
        requireNonNull(node.getMetadata().getName(), "node.metadata.name is null");
        pods = List.copyOf(requireNonNull(pods, "pods is null"));
        requireNonNull(requested, "requested is null");
        requireNonNull(nonZeroRequested, "nonZeroRequested is null");
        requireNonNull(allocatable, "allocatable is null");
        usedPorts = Set.copyOf(requireNonNull(usedPorts, "usedPorts is null"));
        imageStates = Map.copyOf(requireNonNull(imageStates, "imageStates is null"));
    }

    /** A node with no pods on it. */
    public static NodeInfo of(Node node, Resources allocatable, Map<String, ImageState> imageStates) {
        return new NodeInfo(node, List.of(), Resources.ZERO, Resources.ZERO, allocatable, Set.of(), imageStates);
    }

    public String nodeName() {
        return node.getMetadata().getName();
    }

    /** Whether {@code port} conflicts with a host port already used on this node. */
    public boolean isPortInUse(HostPort port) {
        for (HostPort used : usedPorts) {
            if (used.conflictsWith(port)) {
                return true;
            }
        }
        return false;
    }

    /** This node with {@code pod} added (its requests and host ports counted). */
    public NodeInfo withPod(PodInfo pod) {
        List<PodInfo> morePods = new ArrayList<>(pods);
        morePods.add(pod);
        Set<HostPort> morePorts = new HashSet<>(usedPorts);
        morePorts.addAll(pod.hostPorts());
        return new NodeInfo(node, morePods, requested.plus(pod.requests()), nonZeroRequested.plus(pod.nonZeroRequests()),
                allocatable, morePorts, imageStates);
    }

    /**
     * This node without the pod that has {@code pod}'s namespace and name; this node itself when
     * no such pod is on it.
     */
    public NodeInfo withoutPod(PodInfo pod) {
        List<PodInfo> fewerPods = new ArrayList<>(pods.size());
        PodInfo removed = null;
        for (PodInfo candidate : pods) {
            if (removed == null && candidate.key().equals(pod.key())) {
                removed = candidate;
            } else {
                fewerPods.add(candidate);
            }
        }
        if (removed == null) {
            return this;
        }
        Set<HostPort> ports = new HashSet<>();
        fewerPods.forEach(remaining -> ports.addAll(remaining.hostPorts()));
        return new NodeInfo(node, fewerPods, requested.minus(removed.requests()),
                nonZeroRequested.minus(removed.nonZeroRequests()), allocatable, ports, imageStates);
    }
}
