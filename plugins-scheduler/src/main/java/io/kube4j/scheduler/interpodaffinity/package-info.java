/**
 * The {@code InterPodAffinity} plugin, with kube-scheduler's semantics: a pod goes only where its
 * required pod affinity terms find matching pods in the node's topology domain, where its required
 * anti-affinity terms find none, and where no existing pod's required anti-affinity term selects
 * it (Filter, from counts per topology pair that PreFilter computes in one scan of the snapshot).
 * A pod whose affinity terms select itself may start a group: when no pod in the cluster matches,
 * any node with the topology labels will do. Score adds the weights of the pod's preferred terms
 * and, symmetrically, of the existing pods' preferred terms and required affinity terms
 * ({@code hardPodAffinityWeight}), anti-affinity subtracting, then scales min..max to 0..100.
 * AddPod/RemovePod keep the counts right for preemption's what-ifs.
 *
 * <p>Cheap path: a pod without required terms, in a cluster where no pod has required
 * anti-affinity, is SKIPped at PreFilter; a pod without preferred terms scores only against the
 * nodes hosting pods with affinity ({@code NodeInfoLister.havePodsWithAffinityList}), and is
 * SKIPped when none scores.
 *
 * <p>Not done: a {@code namespaceSelector} sees only the {@code kubernetes.io/metadata.name}
 * label of namespaces (the snapshot has no namespaces, so other namespace labels are unknown);
 * {@code matchLabelKeys}/{@code mismatchLabelKeys} are merged by the plugin itself, from the
 * owning pod's labels. Queueing hints are not filtered: every pod and node event that may help
 * requeues the pods this plugin rejected.
 */
package io.kube4j.scheduler.interpodaffinity;
