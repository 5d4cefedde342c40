package io.kube4j.scheduler.podtopologyspread;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.scheduler.labels.Selector;
import io.kube4j.scheduler.labels.Selector.Operator;
import io.kube4j.scheduler.labels.Selector.Requirement;
import io.kube4j.scheduler.nodeaffinity.RequiredNodeAffinity;
import io.kube4j.scheduler.tainttoleration.Tolerations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One topology spread constraint with its selector parsed and its defaults applied, as
 * kube-scheduler's {@code topologySpreadConstraint}.
 *
 * @param minDomains 1 when absent
 * @param honorNodeAffinity {@code nodeAffinityPolicy} is Honor (the default): only nodes matching the
 *        pod's nodeSelector/required node affinity count as domains
 * @param honorNodeTaints {@code nodeTaintsPolicy} is Honor (default Ignore): nodes with taints the pod
 *        does not tolerate do not count
 */
record SpreadConstraint(int maxSkew, String topologyKey, Selector selector, int minDomains, boolean honorNodeAffinity,
                        boolean honorNodeTaints) {

    private static final Set<String> WORKLOAD_KINDS = Set.of("ReplicaSet", "StatefulSet", "ReplicationController");

    /**
     * The pod's constraints with {@code whenUnsatisfiable == action}, matchLabelKeys merged into
     * their selectors from the pod's labels.
     *
     * @throws IllegalArgumentException when a label selector is invalid
     */
    static List<SpreadConstraint> of(List<TopologySpreadConstraint> constraints, Map<String, String> podLabels, String action) {
        List<SpreadConstraint> result = new ArrayList<>();
        for (TopologySpreadConstraint c : constraints) {
            if (!action.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            Selector selector = Selector.parse(c.getLabelSelector());
            List<Requirement> keys = new ArrayList<>();
            for (String key : c.getMatchLabelKeys() == null ? List.<String>of() : c.getMatchLabelKeys()) {
                if (podLabels.containsKey(key)) {
                    keys.add(new Requirement(key, Operator.IN, Set.of(podLabels.get(key))));
                }
            }
            result.add(new SpreadConstraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(), selector.and(keys),
                    c.getMinDomains() == null ? 1 : c.getMinDomains(), !"Ignore".equals(c.getNodeAffinityPolicy()),
                    "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return result;
    }

    /** {@code defaults} with {@code selector}, or none when the selector selects everything. */
    static List<SpreadConstraint> withSelector(List<TopologySpreadConstraint> defaults, Selector selector, String action) {
        if (selector.isEverything()) {
            return List.of();
        }
        List<SpreadConstraint> result = new ArrayList<>();
        for (SpreadConstraint c : of(defaults, Map.of(), action)) {
            result.add(new SpreadConstraint(c.maxSkew, c.topologyKey, selector, c.minDomains, c.honorNodeAffinity, c.honorNodeTaints));
        }
        return result;
    }

    /**
     * The selector of the pod's workload, for the default constraints. kube-scheduler merges the
     * selectors of the Services, ReplicaSets, StatefulSets and ReplicationControllers that select the
     * pod; the snapshot shows none of them, so a pod controlled by one of those kinds is taken to be
     * selected by its own labels (a workload's pods share their template's labels), and any other
     * pod gets no default constraints.
     */
    static Selector workloadSelector(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (owners == null || labels == null || labels.isEmpty()) {
            return Selector.EVERYTHING;
        }
        for (OwnerReference owner : owners) {
            if (Boolean.TRUE.equals(owner.getController()) && WORKLOAD_KINDS.contains(owner.getKind())) {
                return Selector.of(labels);
            }
        }
        return Selector.EVERYTHING;
    }

    /** Whether the node counts as a domain for the pod under this constraint's node inclusion policies. */
    boolean includes(Pod pod, Node node, RequiredNodeAffinity requiredNodeAffinity) {
        if (honorNodeAffinity && !requiredNodeAffinity.matches(node)) {
            return false;
        }
        if (honorNodeTaints && node.getSpec() != null && node.getSpec().getTaints() != null) {
            List<Toleration> tolerations = Tolerations.of(pod);
            for (Taint taint : node.getSpec().getTaints()) {
                boolean filtering = Tolerations.NO_SCHEDULE.equals(taint.getEffect()) || Tolerations.NO_EXECUTE.equals(taint.getEffect());
                if (filtering && !Tolerations.anyTolerates(tolerations, taint)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How many of {@code pods} in {@code namespace} this selects, terminating pods left out; 0 for a select-everything selector. */
    int countMatching(List<PodInfo> pods, String namespace) {
        if (selector.isEverything()) {
            return 0;
        }
        int count = 0;
        for (PodInfo pod : pods) {
            if (pod.pod().getMetadata().getDeletionTimestamp() == null && pod.namespace().equals(namespace)
                    && selector.matches(pod.pod().getMetadata().getLabels())) {
                count++;
            }
        }
        return count;
    }

    /** Whether the node has the topology label of every constraint. */
    static boolean hasAllTopologyKeys(Node node, List<SpreadConstraint> constraints) {
        Map<String, String> labels = node.getMetadata().getLabels();
        for (SpreadConstraint c : constraints) {
            if (labels == null || !labels.containsKey(c.topologyKey)) {
                return false;
            }
        }
        return true;
    }
}
