package io.kube4j.scheduler.defaultpreemption;

/**
 * Args of {@code DefaultPreemption}, as kube-scheduler's {@code DefaultPreemptionArgs}: how many
 * nodes a preemption dry-runs at least, as a share of the nodes where preemption might help and
 * as an absolute number (the larger wins, capped by the nodes there are).
 *
 * @param minCandidateNodesPercentage 0..100, default 10
 * @param minCandidateNodesAbsolute at least 0, default 100
 */
public record DefaultPreemptionArgs(Integer minCandidateNodesPercentage, Integer minCandidateNodesAbsolute) {

    public DefaultPreemptionArgs {
        minCandidateNodesPercentage = minCandidateNodesPercentage == null ? 10 : minCandidateNodesPercentage;
        minCandidateNodesAbsolute = minCandidateNodesAbsolute == null ? 100 : minCandidateNodesAbsolute;
        if (minCandidateNodesPercentage < 0 || minCandidateNodesPercentage > 100) {
            throw new IllegalArgumentException("minCandidateNodesPercentage is not in the range [0, 100]: "
                    + minCandidateNodesPercentage);
        }
        if (minCandidateNodesAbsolute < 0) {
            throw new IllegalArgumentException("minCandidateNodesAbsolute is not in the range [0, inf): "
                    + minCandidateNodesAbsolute);
        }
        if (minCandidateNodesPercentage == 0 && minCandidateNodesAbsolute == 0) {
            throw new IllegalArgumentException(
                    "minCandidateNodesPercentage and minCandidateNodesAbsolute: both cannot be zero");
        }
    }

    public static DefaultPreemptionArgs defaults() {
        return new DefaultPreemptionArgs(null, null);
    }

    /** How many candidate nodes to find among {@code numNodes} potential ones. */
    int numCandidates(int numNodes) {
        int n = numNodes * minCandidateNodesPercentage / 100;
        n = Math.max(n, minCandidateNodesAbsolute);
        return Math.min(n, numNodes);
    }
}
