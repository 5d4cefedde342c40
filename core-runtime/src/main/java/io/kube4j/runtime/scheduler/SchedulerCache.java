package io.kube4j.runtime.scheduler;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.ImageState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's view of nodes and of the pods on them: the pods the informer saw bound, plus
 * the pods this scheduler <em>assumed</em> at Reserve and is still binding, so that the next cycle
 * counts them before the API server confirms. An assumed pod is confirmed when the informer shows
 * it bound, and forgotten when its binding fails. Thread-safe.
 */
final class SchedulerCache {
    private record Entry(PodInfo info, String nodeName, boolean assumed) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, Entry> pods = new HashMap<>();
    private long generation;
    private Snapshot snapshot = new Snapshot(List.of());
    private long snapshotGeneration = -1;

    void addOrUpdateNode(Node node) {
        lock.lock();
        try {
            nodes.put(node.getMetadata().getName(), node);
            generation++;
        } finally {
            lock.unlock();
        }
    }

    void removeNode(Node node) {
        lock.lock();
        try {
            nodes.remove(node.getMetadata().getName());
            generation++;
        } finally {
            lock.unlock();
        }
    }

    /** A pod the informer shows bound to a node: it replaces (confirms) an assumed one. */
    void addOrUpdatePod(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isEmpty()) {
            return;
        }
        PodInfo info = PodInfos.of(pod);
        lock.lock();
        try {
            if (isTerminal(pod)) {
                pods.remove(info.key());
            } else {
                pods.put(info.key(), new Entry(info, node, false));
            }
            generation++;
        } finally {
            lock.unlock();
        }
    }

    void removePod(Pod pod) {
        lock.lock();
        try {
            pods.remove(PodInfos.of(pod).key());
            generation++;
        } finally {
            lock.unlock();
        }
    }

    /** Counts {@code pod} on {@code nodeName} until it is confirmed or forgotten. */
    void assume(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            pods.put(pod.key(), new Entry(pod, nodeName, true));
            generation++;
        } finally {
            lock.unlock();
        }
    }

    /** Drops an assumed pod whose binding failed; a confirmed pod stays. */
    void forget(PodInfo pod) {
        lock.lock();
        try {
            Entry e = pods.get(pod.key());
            if (e != null && e.assumed()) {
                pods.remove(pod.key());
                generation++;
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isAssumed(String key) {
        lock.lock();
        try {
            Entry e = pods.get(key);
            return e != null && e.assumed();
        } finally {
            lock.unlock();
        }
    }

    int nodeCount() {
        lock.lock();
        try {
            return nodes.size();
        } finally {
            lock.unlock();
        }
    }

    /** The nodes and their pods now, as immutable NodeInfos; the same object while nothing changed. */
    Snapshot snapshot() {
        lock.lock();
        try {
            if (snapshotGeneration == generation) {
                return snapshot;
            }
            Map<String, Integer> imageNodes = new HashMap<>();
            for (Node node : nodes.values()) {
                images(node).forEach((name, size) -> imageNodes.merge(name, 1, Integer::sum));
            }
            Map<String, NodeInfo> infos = new TreeMap<>();
            for (Node node : nodes.values()) {
                Map<String, ImageState> states = new HashMap<>();
                images(node).forEach((name, size) -> states.put(name, new ImageState(size, imageNodes.get(name))));
                Resources allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                        ? Resources.ZERO : Resources.of(node.getStatus().getAllocatable());
                infos.put(node.getMetadata().getName(), NodeInfo.of(node, allocatable, states));
            }
            for (Entry e : pods.values()) {
                NodeInfo info = infos.get(e.nodeName());
                if (info != null) {
                    infos.put(e.nodeName(), info.withPod(e.info()));
                }
            }
            snapshot = new Snapshot(new ArrayList<>(infos.values()));
            snapshotGeneration = generation;
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, Long> images(Node node) {
        Map<String, Long> images = new HashMap<>();
        if (node.getStatus() == null || node.getStatus().getImages() == null) {
            return images;
        }
        for (ContainerImage image : node.getStatus().getImages()) {
            long size = image.getSizeBytes() == null ? 0 : Math.max(0, image.getSizeBytes());
            if (image.getNames() != null) {
                image.getNames().forEach(name -> images.put(name, size));
            }
        }
        return images;
    }

    private static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * One cycle's view of the nodes, sorted by name, with the nodes hosting pods with (anti-)affinity
     * found once, when the snapshot is built, rather than by every cycle that asks.
     */
    static final class Snapshot implements NodeInfoLister {
        private final List<NodeInfo> nodes;
        private final Map<String, NodeInfo> byName;
        private final List<NodeInfo> withAffinity;
        private final List<NodeInfo> withRequiredAntiAffinity;

        Snapshot(List<NodeInfo> nodes) {
            this.nodes = List.copyOf(nodes);
            Map<String, NodeInfo> index = new HashMap<>();
            List<NodeInfo> affinity = new ArrayList<>();
            List<NodeInfo> antiAffinity = new ArrayList<>();
            for (NodeInfo node : this.nodes) {
                index.put(node.nodeName(), node);
                boolean hasAffinity = false;
                boolean hasAntiAffinity = false;
                for (PodInfo pod : node.pods()) {
                    hasAffinity |= pod.hasPodAffinity();
                    hasAntiAffinity |= pod.hasRequiredPodAntiAffinity();
                }
                if (hasAffinity) {
                    affinity.add(node);
                }
                if (hasAntiAffinity) {
                    antiAffinity.add(node);
                }
            }
            this.byName = Map.copyOf(index);
            this.withAffinity = List.copyOf(affinity);
            this.withRequiredAntiAffinity = List.copyOf(antiAffinity);
        }

        List<NodeInfo> nodes() {
            return nodes;
        }

        @Override
        public List<NodeInfo> list() {
            return nodes;
        }

        @Override
        public Optional<NodeInfo> get(String nodeName) {
            return Optional.ofNullable(byName.get(nodeName));
        }

        @Override
        public List<NodeInfo> havePodsWithAffinityList() {
            return withAffinity;
        }

        @Override
        public List<NodeInfo> havePodsWithRequiredAntiAffinityList() {
            return withRequiredAntiAffinity;
        }
    }
}
