/**
 * The {@code PodTopologySpread} plugin, with kube-scheduler's (1.32) semantics. A pod's
 * {@code topologySpreadConstraints} with {@code whenUnsatisfiable: DoNotSchedule} filter nodes: the
 * node needs the topology label ("... (missing required label)", unresolvable), and the pods the
 * constraint selects in the node's domain, plus the pod itself if selected, may exceed the fewest in
 * any domain (0 while fewer than {@code minDomains} domains exist) by at most {@code maxSkew}.
 * {@code ScheduleAnyway} constraints score: fewer matching pods in a node's domains, weighted by
 * log(number of domains + 2), is better, normalized as kube-scheduler. Domains count only nodes that
 * {@code nodeAffinityPolicy} (default Honor) and {@code nodeTaintsPolicy} (default Ignore) admit;
 * {@code matchLabelKeys} are merged into the selector from the pod's labels. PreFilter counts in one
 * scan of the snapshot; AddPod/RemovePod keep the counts right for preemption's what-ifs.
 *
 * <p>Defaults: a pod without constraints gets the profile's default constraints
 * ({@code defaultingType: System}: hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway). Being
 * ScheduleAnyway, they never cost PreFilter anything (SKIP).
 *
 * <p>Not done like kube-scheduler: the default constraints' selector. kube-scheduler merges the
 * selectors of the Services, ReplicationControllers, ReplicaSets and StatefulSets selecting the pod;
 * the snapshot has none of those, so a pod whose controller (ownerReference with
 * {@code controller: true}) is a ReplicaSet, StatefulSet or ReplicationController is taken to be
 * selected by all of its own labels (its siblings share them), and a pod selected only by a Service,
 * or without a controller, gets no default constraints. Queueing hints are not filtered.
 */
package io.kube4j.scheduler.podtopologyspread;
