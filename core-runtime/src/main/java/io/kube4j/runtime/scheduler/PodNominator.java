package io.kube4j.runtime.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pending pods nominated to a node, as kube-scheduler's nominator: a pod is nominated when
 * preemption made room for it (before its {@code status.nominatedNodeName} is written back) or
 * when the informer shows it with a nominated node; it stops being nominated once bound, deleted,
 * or cleared. Filtering a pod on a node counts the pods nominated there with at least its
 * priority, so that the room preemption made is not taken by a less important pod. Thread-safe.
 */
final class PodNominator {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Map<String, PodInfo>> byNode = new HashMap<>();
    private final Map<String, String> nodeOfPod = new HashMap<>();

    /** Nominates {@code pod} to {@code nodeName}, replacing any nomination it had. */
    void add(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            removeLocked(pod.key());
            byNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(pod.key(), pod);
            nodeOfPod.put(pod.key(), nodeName);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pending pod as the informer shows it: nominated to its {@code status.nominatedNodeName};
     * with none, a nomination it had is dropped only if {@code previous} had one (someone cleared
     * it), since the scheduler nominates before the status write lands.
     */
    void update(Optional<Pod> previous, PodInfo pod) {
        String nominated = nominatedNodeName(pod.pod());
        if (!nominated.isEmpty()) {
            add(pod, nominated);
        } else if (previous.isPresent() && !nominatedNodeName(previous.get()).isEmpty()) {
            delete(pod.key());
        } else {
            lock.lock();
            try {
                String node = nodeOfPod.get(pod.key());
                if (node != null) {
                    byNode.get(node).put(pod.key(), pod);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    void delete(String key) {
        lock.lock();
        try {
            removeLocked(key);
        } finally {
            lock.unlock();
        }
    }

    /** The pods nominated to {@code nodeName}. */
    List<PodInfo> podsForNode(String nodeName) {
        lock.lock();
        try {
            Map<String, PodInfo> pods = byNode.get(nodeName);
            return pods == null ? List.of() : new ArrayList<>(pods.values());
        } finally {
            lock.unlock();
        }
    }

    /** The node {@code key} is nominated to, if any. */
    Optional<String> nodeOf(String key) {
        lock.lock();
        try {
            return Optional.ofNullable(nodeOfPod.get(key));
        } finally {
            lock.unlock();
        }
    }

    private void removeLocked(String key) {
        String node = nodeOfPod.remove(key);
        if (node != null) {
            Map<String, PodInfo> pods = byNode.get(node);
            pods.remove(key);
            if (pods.isEmpty()) {
                byNode.remove(node);
            }
        }
    }

    static String nominatedNodeName(Pod pod) {
        String node = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        return node == null ? "" : node;
    }
}
