package io.kube4j.scheduler.defaultpreemption;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.event.EventType;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeToStatus;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PostFilterPlugin;
import io.kube4j.api.scheduling.PostFilterResult;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-scheduler's default preemption. When no node fits the pod: if the pod may preempt
 * ({@code preemptionPolicy} is not {@code Never}, and no lower-priority pod is still terminating
 * on the node it was nominated to), it dry-runs preemption on the nodes where the failure was
 * UNSCHEDULABLE (not UNSCHEDULABLE_AND_UNRESOLVABLE), from a random offset, until it has
 * {@link DefaultPreemptionArgs#numCandidates} candidates (at least one violating no PDB). On each
 * node it removes every lower-priority pod, checks that the pod then fits, and reprieves as many as
 * still let it fit, most important first, PDB-protected ones first. It picks the node with the
 * fewest PDB violations, then the lowest most-important victim, the smallest sum of victims'
 * priorities, the fewest victims, the latest start of the most important victims; deletes the
 * victims (each with its grace period), records {@code Preempted} on each, clears the nomination
 * of lower-priority pods nominated there, and nominates the node.
 */
final class DefaultPreemptionPlugin implements PostFilterPlugin {
    private static final Logger log = LoggerFactory.getLogger(DefaultPreemptionPlugin.class);
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";

    /** The pods to evict from one node, most important first, and how many of them a PDB protects. */
    record Victims(List<PodInfo> pods, int numPdbViolations) {
        Victims {
            pods = List.copyOf(pods);
        }
    }

    /** A node where evicting {@code victims} makes the pod fit. */
    record Candidate(String nodeName, Victims victims) {
    }

    /** The outcome of a dry run: candidates (non-violating first), and why the other nodes tried are not. */
    record DryRun(List<Candidate> candidates, Map<String, Status> nodeStatuses) {
    }

    private final DefaultPreemptionArgs args;
    private final SchedulingContext context;
    private final Supplier<List<PodDisruptionBudget>> pdbs;

    DefaultPreemptionPlugin(DefaultPreemptionArgs args, SchedulingContext context, Supplier<List<PodDisruptionBudget>> pdbs) {
        this.args = requireNonNull(args, "args is null");
        this.context = requireNonNull(context, "context is null");
        this.pdbs = requireNonNull(pdbs, "pdbs is null");
    }

    @Override
    public String name() {
        return DefaultPreemptionFactory.NAME;
    }

    @Override
    public PostFilterResult postFilter(CycleState state, Pod pod, NodeToStatus filteredNodeStatuses) {
        Optional<String> notEligible = notEligible(pod, filteredNodeStatuses);
        if (notEligible.isPresent()) {
            return PostFilterResult.of(Status.unschedulable("preemption: " + notEligible.get()));
        }
        List<NodeInfo> allNodes = context.snapshot().list();
        if (allNodes.isEmpty()) {
            return PostFilterResult.of(Status.error("preemption: no nodes available"));
        }
        List<NodeInfo> potential = allNodes.stream()
                .filter(n -> filteredNodeStatuses.get(n.nodeName()).code() == Status.Code.UNSCHEDULABLE).toList();
        DryRun dryRun;
        if (potential.isEmpty()) {
            dryRun = new DryRun(List.of(), Map.of());
        } else {
            List<PodDisruptionBudget> budgets;
            try {
                budgets = pdbs.get();
            } catch (ApiException e) {
                return PostFilterResult.of(Status.error("preemption: cannot list PodDisruptionBudgets: " + e.getMessage()));
            }
            int offset = ThreadLocalRandom.current().nextInt(potential.size());
            dryRun = dryRun(state, pod, potential, budgets, offset, args.numCandidates(potential.size()));
        }
        if (dryRun.candidates().isEmpty()) {
            return PostFilterResult.of(Status.unschedulable("preemption: " + fitMessage(allNodes.size(), dryRun.nodeStatuses())));
        }
        Candidate best = pickOneNode(dryRun.candidates(), context.clock().instant());
        Status prepared = prepareCandidate(best, pod);
        if (!prepared.isSuccess()) {
            return PostFilterResult.of(prepared);
        }
        return PostFilterResult.nominate(best.nodeName());
    }

    /** Why the pod may not preempt, as kube-scheduler says it; empty if it may. */
    Optional<String> notEligible(Pod pod, NodeToStatus statuses) {
        if ("Never".equals(pod.getSpec() == null ? null : pod.getSpec().getPreemptionPolicy())) {
            return Optional.of("not eligible due to preemptionPolicy=Never.");
        }
        String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        if (nominated == null || nominated.isEmpty()) {
            return Optional.empty();
        }
        // The nominated node can no longer take the pod whatever is evicted: preempting elsewhere is fine.
        if (statuses.get(nominated).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            return Optional.empty();
        }
        Optional<NodeInfo> node = context.snapshot().get(nominated);
        if (node.isPresent()) {
            int priority = priority(pod);
            for (PodInfo onNode : node.get().pods()) {
                if (onNode.pod().getMetadata().getDeletionTimestamp() != null && onNode.priority() < priority) {
                    return Optional.of("not eligible due to a terminating pod on the nominated node.");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Dry-runs preemption on {@code potential} nodes from {@code offset} on, stopping once there
     * are {@code numCandidates} candidates of which at least one violates no PDB.
     */
    DryRun dryRun(CycleState state, Pod pod, List<NodeInfo> potential, List<PodDisruptionBudget> budgets, int offset,
                  int numCandidates) {
        List<Candidate> nonViolating = new ArrayList<>();
        List<Candidate> violating = new ArrayList<>();
        Map<String, Status> statuses = new LinkedHashMap<>();
        for (int i = 0; i < potential.size(); i++) {
            if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= numCandidates) {
                break;
            }
            NodeInfo node = potential.get((offset + i) % potential.size());
            SelectResult result = selectVictimsOnNode(state.copy(), pod, node, budgets);
            if (result.status().isSuccess() && !result.victims().pods().isEmpty()) {
                Candidate candidate = new Candidate(node.nodeName(), result.victims());
                (result.victims().numPdbViolations() == 0 ? nonViolating : violating).add(candidate);
            } else if (result.status().isSuccess()) {
                statuses.put(node.nodeName(), Status.error("expected at least one victim pod on node " + node.nodeName()));
            } else {
                statuses.put(node.nodeName(), result.status());
            }
        }
        List<Candidate> all = new ArrayList<>(nonViolating);
        all.addAll(violating);
        return new DryRun(all, statuses);
    }

    record SelectResult(Victims victims, Status status) {
    }

    /**
     * The fewest pods to evict from {@code nodeInfo} for the pod to fit: all lower-priority pods
     * removed, then each reprieved (PDB-protected ones first, most important first) if the pod
     * still fits without evicting it. {@code state} is the caller's copy.
     */
    SelectResult selectVictimsOnNode(CycleState state, Pod pod, NodeInfo nodeInfo, List<PodDisruptionBudget> budgets) {
        int priority = priority(pod);
        List<PodInfo> potential = new ArrayList<>();
        NodeInfo node = nodeInfo;
        for (PodInfo onNode : nodeInfo.pods()) {
            if (onNode.priority() < priority) {
                potential.add(onNode);
                node = node.withoutPod(onNode);
                Status removed = context.runPreFilterExtensionRemovePod(state, pod, onNode, node);
                if (!removed.isSuccess()) {
                    return new SelectResult(new Victims(List.of(), 0), removed);
                }
            }
        }
        if (potential.isEmpty()) {
            return new SelectResult(new Victims(List.of(), 0), Status.unschedulableAndUnresolvable(NO_VICTIMS));
        }
        Status fits = context.runFilterPluginsWithNominatedPods(state, pod, node);
        if (!fits.isSuccess()) {
            return new SelectResult(new Victims(List.of(), 0), fits);
        }
        Instant now = context.clock().instant();
        potential.sort(moreImportantFirst(now));
        List<PodInfo> violatingPods = new ArrayList<>();
        List<PodInfo> nonViolatingPods = new ArrayList<>();
        splitByPdbViolation(potential, budgets, violatingPods, nonViolatingPods);
        List<PodInfo> victims = new ArrayList<>();
        int numViolating = 0;
        for (List<PodInfo> group : List.of(violatingPods, nonViolatingPods)) {
            for (PodInfo candidate : group) {
                NodeInfo withCandidate = node.withPod(candidate);
                Status added = context.runPreFilterExtensionAddPod(state, pod, candidate, withCandidate);
                if (!added.isSuccess()) {
                    return new SelectResult(new Victims(List.of(), 0), added);
                }
                if (context.runFilterPluginsWithNominatedPods(state, pod, withCandidate).isSuccess()) {
                    node = withCandidate;
                    continue;
                }
                Status removed = context.runPreFilterExtensionRemovePod(state, pod, candidate, node);
                if (!removed.isSuccess()) {
                    return new SelectResult(new Victims(List.of(), 0), removed);
                }
                victims.add(candidate);
                if (group == violatingPods) {
                    numViolating++;
                }
            }
        }
        if (!violatingPods.isEmpty() && !nonViolatingPods.isEmpty()) {
            victims.sort(moreImportantFirst(now));
        }
        return new SelectResult(new Victims(victims, numViolating), Status.success());
    }

    /**
     * Splits {@code pods} (most important first) into those whose eviction would exceed a
     * matching PDB's {@code disruptionsAllowed}, counted down pod by pod, and the others.
     */
    static void splitByPdbViolation(List<PodInfo> pods, List<PodDisruptionBudget> budgets, List<PodInfo> violating,
                                    List<PodInfo> nonViolating) {
        int[] allowed = new int[budgets.size()];
        for (int i = 0; i < budgets.size(); i++) {
            PodDisruptionBudget pdb = budgets.get(i);
            Integer value = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptionsAllowed();
            allowed[i] = value == null ? 0 : value;
        }
        for (PodInfo pod : pods) {
            Map<String, String> labels = pod.pod().getMetadata().getLabels();
            boolean violated = false;
            if (labels != null && !labels.isEmpty()) {
                for (int i = 0; i < budgets.size(); i++) {
                    PodDisruptionBudget pdb = budgets.get(i);
                    if (!pod.namespace().equals(pdb.getMetadata().getNamespace()) || pdb.getSpec() == null
                            || !LabelSelectors.matches(pdb.getSpec().getSelector(), labels)) {
                        continue;
                    }
                    // Already counted by the disruption controller as disrupted.
                    if (pdb.getStatus() != null && pdb.getStatus().getDisruptedPods() != null
                            && pdb.getStatus().getDisruptedPods().containsKey(pod.name())) {
                        continue;
                    }
                    allowed[i]--;
                    if (allowed[i] < 0) {
                        violated = true;
                    }
                }
            }
            (violated ? violating : nonViolating).add(pod);
        }
    }

    /** kube-scheduler's pickOneNodeForPreemption; ties after every criterion go to the first candidate. */
    static Candidate pickOneNode(List<Candidate> candidates, Instant now) {
        List<ToLongFunction<Candidate>> scores = List.of(
                c -> -c.victims().numPdbViolations(),
                c -> -(long) c.victims().pods().getFirst().priority(),
                // Shifted by 2^31 so that many negative-priority victims do not look better than few.
                c -> -c.victims().pods().stream().mapToLong(p -> (long) p.priority() + Integer.MAX_VALUE + 1).sum(),
                c -> -c.victims().pods().size(),
                c -> earliestStartOfMostImportant(c.victims(), now).toEpochMilli());
        List<Candidate> best = candidates;
        for (ToLongFunction<Candidate> score : scores) {
            long max = Long.MIN_VALUE;
            List<Candidate> selected = new ArrayList<>();
            for (Candidate candidate : best) {
                long value = score.applyAsLong(candidate);
                if (value > max) {
                    max = value;
                    selected.clear();
                }
                if (value == max) {
                    selected.add(candidate);
                }
            }
            if (selected.size() == 1) {
                return selected.getFirst();
            }
            best = selected;
        }
        return best.getFirst();
    }

    /** Evicts the victims, records Preempted on each, and clears lower-priority nominations on the node. */
    private Status prepareCandidate(Candidate candidate, Pod preemptor) {
        String uid = preemptor.getMetadata().getUid();
        for (PodInfo victim : candidate.victims().pods()) {
            Pod pod = victim.pod();
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Optional<WaitingPod> waiting = context.waitingPod(String.valueOf(pod.getMetadata().getUid()));
            if (waiting.isPresent()) {
                waiting.get().reject(name(), "preempted");
            } else {
                try {
                    context.client().delete(Pod.class, victim.namespace(), victim.name(), DeleteOptions.DEFAULT);
                } catch (ApiException e) {
                    if (!e.isNotFound()) {
                        return Status.error("preemption: cannot delete " + victim.key() + ": " + e.getMessage());
                    }
                }
            }
            log.info("preemption: {} preempted {} on {}", key(preemptor), victim.key(), candidate.nodeName());
            context.eventRecorder().event(pod, EventType.NORMAL, "Preempted", "Preempted by pod %s on node %s",
                    uid, candidate.nodeName());
        }
        int priority = priority(preemptor);
        for (PodInfo nominated : context.nominatedPodsForNode(candidate.nodeName())) {
            if (nominated.priority() >= priority || nominated.key().equals(key(preemptor))) {
                continue;
            }
            try {
                context.client().patch(Pod.class, nominated.namespace(), nominated.name(), PatchType.MERGE,
                        "{\"status\":{\"nominatedNodeName\":null}}", "status");
            } catch (ApiException e) {
                // Not critical: the pod keeps a stale nomination until it is scheduled again.
                log.warn("preemption: cannot clear the nominated node of {}: {}", nominated.key(), e.getMessage());
            }
        }
        return Status.success();
    }

    /** {@code 0/N nodes are available: <count> <reason>, ...} over the dry run's statuses, absent nodes "not helpful". */
    static String fitMessage(int numAllNodes, Map<String, Status> statuses) {
        Map<String, Integer> reasons = new HashMap<>();
        statuses.values().forEach(status -> status.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum)));
        int absent = numAllNodes - statuses.size();
        if (absent > 0) {
            reasons.merge(NOT_HELPFUL, absent, Integer::sum);
        }
        List<String> counted = new ArrayList<>();
        reasons.forEach((reason, count) -> counted.add(count + " " + reason));
        Collections.sort(counted);
        return "0/" + numAllNodes + " nodes are available: " + String.join(", ", counted);
    }

    /** Higher priority first; among equals, the one that started earlier (kube's MoreImportantPod). */
    static Comparator<PodInfo> moreImportantFirst(Instant now) {
        return Comparator.comparingInt(PodInfo::priority).reversed().thenComparing(p -> startTime(p, now));
    }

    private static Instant earliestStartOfMostImportant(Victims victims, Instant now) {
        int highest = victims.pods().getFirst().priority();
        Instant earliest = null;
        for (PodInfo pod : victims.pods()) {
            if (pod.priority() == highest) {
                Instant start = startTime(pod, now);
                if (earliest == null || start.isBefore(earliest)) {
                    earliest = start;
                }
            }
        }
        return earliest;
    }

    // Bound pods that have not started yet count as starting now, as in kube's GetPodStartTime.
    private static Instant startTime(PodInfo pod, Instant now) {
        String start = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getStartTime();
        if (start == null || start.isEmpty()) {
            return now;
        }
        try {
            return Instant.parse(start);
        } catch (java.time.format.DateTimeParseException e) {
            return now;
        }
    }

    private static int priority(Pod pod) {
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return priority == null ? 0 : priority;
    }

    private static String key(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        return (namespace == null ? "" : namespace) + "/" + pod.getMetadata().getName();
    }
}
