package io.kube4j.runtime.scheduler;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.HostPort;
import io.kube4j.api.scheduling.ImageState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.Resources;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's view of nodes and of the pods on them: the pods the informer saw bound, plus
 * the pods this scheduler <em>assumed</em> at Reserve and is still binding, so that the next cycle
 * counts them before the API server confirms. An assumed pod is confirmed when the informer shows
 * it bound, and forgotten when its binding fails. Thread-safe.
 *
 * <p>Snapshots are incremental, as kube-scheduler's {@code UpdateSnapshot}: every change marks its
 * node dirty, and the next {@link #snapshot()} rebuilds the NodeInfo of the dirty nodes only,
 * reusing every other NodeInfo (they are immutable) and, while no node was added or removed, the
 * order and name index of the nodes. A cycle that follows one assume costs one node's pods, not
 * every node's.
 */
final class SchedulerCache {
    private record Entry(PodInfo info, String nodeName, boolean assumed, List<HostPort> hostPorts) {
        Entry(PodInfo info, String nodeName, boolean assumed) {
            this(info, nodeName, assumed, List.copyOf(info.hostPorts()));
        }
    }

    /** One node's state: the Node (null while only pods bound to it are known) and its pods, in arrival order. */
    private static final class NodeItem {
        Node node;
        Resources allocatable = Resources.ZERO;
        Map<String, Long> images = Map.of();
        final Map<String, Entry> pods = new LinkedHashMap<>();
        /** This node's NodeInfo as of its last change; rebuilt when the node is dirty. */
        NodeInfo info;
        boolean hasAffinity;
        boolean hasRequiredAntiAffinity;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, NodeItem> items = new HashMap<>();
    private final Map<String, Entry> pods = new HashMap<>();
    /** Nodes changed since the last snapshot. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** A node was added or removed since the last snapshot: the order and the index are rebuilt. */
    private boolean nodeSetChanged;
    /** The image names of some node changed: each node's count of nodes per image may have changed. */
    private boolean imagesChanged;
    private int nodeCount;
    private Map<String, Integer> imageNodes = Map.of();
    private Snapshot snapshot = new Snapshot(List.of());

    void addOrUpdateNode(Node node) {
        String name = node.getMetadata().getName();
        Resources allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Resources.ZERO : Resources.of(node.getStatus().getAllocatable());
        Map<String, Long> images = images(node);
        lock.lock();
        try {
            NodeItem item = items.computeIfAbsent(name, n -> new NodeItem());
            if (item.node == null) {
                nodeCount++;
                nodeSetChanged = true;
            }
            if (!item.images.equals(images)) {
                imagesChanged = true;
            }
            item.node = node;
            item.allocatable = allocatable;
            item.images = images;
            dirty.add(name);
        } finally {
            lock.unlock();
        }
    }

    void removeNode(Node node) {
        String name = node.getMetadata().getName();
        lock.lock();
        try {
            NodeItem item = items.get(name);
            if (item == null || item.node == null) {
                return;
            }
            nodeCount--;
            nodeSetChanged = true;
            imagesChanged |= !item.images.isEmpty();
            item.node = null;
            item.images = Map.of();
            item.info = null;
            // Pods still bound to a deleted node stay known, so that the node counts them if it comes back.
            if (item.pods.isEmpty()) {
                items.remove(name);
            }
            dirty.remove(name);
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
                removeLocked(info.key());
            } else {
                putLocked(new Entry(info, node, false));
            }
        } finally {
            lock.unlock();
        }
    }

    void removePod(Pod pod) {
        lock.lock();
        try {
            removeLocked(PodInfos.of(pod).key());
        } finally {
            lock.unlock();
        }
    }

    /** Counts {@code pod} on {@code nodeName} until it is confirmed or forgotten. */
    void assume(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            putLocked(new Entry(pod, nodeName, true));
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
                removeLocked(pod.key());
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
            return nodeCount;
        } finally {
            lock.unlock();
        }
    }

    private void putLocked(Entry entry) {
        String key = entry.info().key();
        Entry old = pods.put(key, entry);
        if (old != null && !old.nodeName().equals(entry.nodeName())) {
            detachLocked(old);
        }
        NodeItem item = items.computeIfAbsent(entry.nodeName(), n -> new NodeItem());
        item.pods.put(key, entry);
        dirty.add(entry.nodeName());
    }

    private void removeLocked(String key) {
        Entry old = pods.remove(key);
        if (old != null) {
            detachLocked(old);
        }
    }

    private void detachLocked(Entry entry) {
        NodeItem item = items.get(entry.nodeName());
        if (item == null) {
            return;
        }
        item.pods.remove(entry.info().key());
        if (item.node == null) {
            if (item.pods.isEmpty()) {
                items.remove(entry.nodeName());
            }
            return;
        }
        dirty.add(entry.nodeName());
    }

    /**
     * The nodes and their pods now, as immutable NodeInfos; the same object while nothing changed.
     * Only the nodes changed since the last call are rebuilt.
     */
    Snapshot snapshot() {
        lock.lock();
        try {
            if (dirty.isEmpty() && !nodeSetChanged && !imagesChanged) {
                return snapshot;
            }
            if (imagesChanged) {
                Map<String, Integer> counts = new HashMap<>();
                for (NodeItem item : items.values()) {
                    item.images.keySet().forEach(image -> counts.merge(image, 1, Integer::sum));
                }
                if (!counts.equals(imageNodes)) {
                    // Nodes with an image whose count changed carry that count in their ImageStates.
                    Set<String> changed = new HashSet<>(counts.keySet());
                    changed.addAll(imageNodes.keySet());
                    changed.removeIf(image -> counts.get(image) != null && counts.get(image).equals(imageNodes.get(image)));
                    for (Map.Entry<String, NodeItem> e : items.entrySet()) {
                        if (e.getValue().node != null && !java.util.Collections.disjoint(e.getValue().images.keySet(), changed)) {
                            dirty.add(e.getKey());
                        }
                    }
                }
                imageNodes = counts;
                imagesChanged = false;
            }
            boolean affinityChanged = nodeSetChanged;
            for (String name : dirty) {
                NodeItem item = items.get(name);
                if (item == null || item.node == null) {
                    continue;
                }
                boolean hadAffinity = item.hasAffinity || item.hasRequiredAntiAffinity;
                rebuild(item);
                affinityChanged |= hadAffinity || item.hasAffinity || item.hasRequiredAntiAffinity;
            }
            String[] order;
            Map<String, Integer> index;
            NodeInfo[] infos;
            if (nodeSetChanged) {
                order = items.entrySet().stream().filter(e -> e.getValue().node != null).map(Map.Entry::getKey)
                        .sorted().toArray(String[]::new);
                Map<String, Integer> positions = new HashMap<>();
                infos = new NodeInfo[order.length];
                for (int i = 0; i < order.length; i++) {
                    positions.put(order[i], i);
                    infos[i] = items.get(order[i]).info;
                }
                index = Map.copyOf(positions);
            } else {
                order = snapshot.order;
                index = snapshot.index;
                infos = snapshot.infos.clone();
                for (String name : dirty) {
                    Integer i = index.get(name);
                    if (i != null) {
                        infos[i] = items.get(name).info;
                    }
                }
            }
            List<NodeInfo> withAffinity = snapshot.withAffinity;
            List<NodeInfo> withRequiredAntiAffinity = snapshot.withRequiredAntiAffinity;
            if (affinityChanged) {
                List<NodeInfo> affinity = new ArrayList<>();
                List<NodeInfo> antiAffinity = new ArrayList<>();
                for (int i = 0; i < order.length; i++) {
                    NodeItem item = items.get(order[i]);
                    if (item.hasAffinity) {
                        affinity.add(infos[i]);
                    }
                    if (item.hasRequiredAntiAffinity) {
                        antiAffinity.add(infos[i]);
                    }
                }
                withAffinity = List.copyOf(affinity);
                withRequiredAntiAffinity = List.copyOf(antiAffinity);
            }
            dirty.clear();
            nodeSetChanged = false;
            snapshot = new Snapshot(order, index, infos, withAffinity, withRequiredAntiAffinity);
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    /** A node's NodeInfo from its pods: O(pods on the node). */
    private void rebuild(NodeItem item) {
        List<PodInfo> nodePods = new ArrayList<>(item.pods.size());
        Resources requested = Resources.ZERO;
        Resources nonZeroRequested = Resources.ZERO;
        Set<HostPort> ports = Set.of();
        boolean affinity = false;
        boolean antiAffinity = false;
        for (Entry e : item.pods.values()) {
            PodInfo pod = e.info();
            nodePods.add(pod);
            requested = requested.plus(pod.requests());
            nonZeroRequested = nonZeroRequested.plus(pod.nonZeroRequests());
            if (!e.hostPorts().isEmpty()) {
                if (ports.isEmpty()) {
                    ports = new HashSet<>();
                }
                ports.addAll(e.hostPorts());
            }
            affinity |= pod.hasPodAffinity();
            antiAffinity |= pod.hasRequiredPodAntiAffinity();
        }
        Map<String, ImageState> states = item.images.isEmpty() ? Map.of() : new HashMap<>();
        item.images.forEach((name, size) -> states.put(name, new ImageState(size, imageNodes.getOrDefault(name, 1))));
        item.info = new NodeInfo(item.node, nodePods, requested, nonZeroRequested, item.allocatable, ports, states);
        item.hasAffinity = affinity;
        item.hasRequiredAntiAffinity = antiAffinity;
    }

    private static Map<String, Long> images(Node node) {
        if (node.getStatus() == null || node.getStatus().getImages() == null || node.getStatus().getImages().isEmpty()) {
            return Map.of();
        }
        Map<String, Long> images = new HashMap<>();
        for (ContainerImage image : node.getStatus().getImages()) {
            long size = image.getSizeBytes() == null ? 0 : Math.max(0, image.getSizeBytes());
            if (image.getNames() != null) {
                image.getNames().forEach(name -> images.put(name, size));
            }
        }
        return Map.copyOf(images);
    }

    private static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * One cycle's view of the nodes, sorted by name, with the nodes hosting pods with (anti-)affinity
     * found when the snapshot is built, rather than by every cycle that asks. Immutable: a later
     * snapshot shares its unchanged NodeInfos, the node order and the name index with this one.
     */
    static final class Snapshot implements NodeInfoLister {
        private final String[] order;
        private final Map<String, Integer> index;
        private final NodeInfo[] infos;
        private final List<NodeInfo> nodes;
        private final List<NodeInfo> withAffinity;
        private final List<NodeInfo> withRequiredAntiAffinity;

        /** A snapshot of {@code nodes}, in their order. */
        Snapshot(List<NodeInfo> nodes) {
            this(nodes.stream().map(NodeInfo::nodeName).toArray(String[]::new), indexOf(nodes),
                    nodes.toArray(NodeInfo[]::new),
                    nodes.stream().filter(n -> n.pods().stream().anyMatch(PodInfo::hasPodAffinity)).toList(),
                    nodes.stream().filter(n -> n.pods().stream().anyMatch(PodInfo::hasRequiredPodAntiAffinity)).toList());
        }

        private Snapshot(String[] order, Map<String, Integer> index, NodeInfo[] infos, List<NodeInfo> withAffinity,
                         List<NodeInfo> withRequiredAntiAffinity) {
            this.order = order;
            this.index = index;
            this.infos = infos;
            this.nodes = new ArrayView(infos);
            this.withAffinity = withAffinity;
            this.withRequiredAntiAffinity = withRequiredAntiAffinity;
        }

        private static Map<String, Integer> indexOf(List<NodeInfo> nodes) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                index.put(nodes.get(i).nodeName(), i);
            }
            return Map.copyOf(index);
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
            Integer i = index.get(nodeName);
            return i == null ? Optional.empty() : Optional.of(infos[i]);
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

    /** An unmodifiable list over an array nobody writes after the snapshot is published. */
    private static final class ArrayView extends AbstractList<NodeInfo> implements RandomAccess {
        private final NodeInfo[] infos;

        ArrayView(NodeInfo[] infos) {
            this.infos = infos;
        }

        @Override
        public NodeInfo get(int i) {
            return infos[i];
        }

        @Override
        public int size() {
            return infos.length;
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOf(infos, infos.length, Object[].class);
        }
    }
}
