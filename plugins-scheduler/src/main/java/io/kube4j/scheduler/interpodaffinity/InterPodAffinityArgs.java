package io.kube4j.scheduler.interpodaffinity;

/**
 * Args of {@code InterPodAffinity}, as kube-scheduler's {@code InterPodAffinityArgs}.
 *
 * @param hardPodAffinityWeight the score weight of an existing pod's <em>required</em> affinity
 *        term that the incoming pod matches, 0..100; 1 when absent
 * @param ignorePreferredTermsOfExistingPods when true, a pod without preferred (anti-)affinity
 *        terms of its own is not scored by this plugin at all, so that existing pods' preferred
 *        terms do not cost a scan of the cluster per pod
 */
public record InterPodAffinityArgs(Integer hardPodAffinityWeight, Boolean ignorePreferredTermsOfExistingPods) {

    public static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

    public InterPodAffinityArgs {
        hardPodAffinityWeight = hardPodAffinityWeight == null ? DEFAULT_HARD_POD_AFFINITY_WEIGHT : hardPodAffinityWeight;
        ignorePreferredTermsOfExistingPods = ignorePreferredTermsOfExistingPods != null && ignorePreferredTermsOfExistingPods;
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("hardPodAffinityWeight: not in valid range [0-100]: " + hardPodAffinityWeight);
        }
    }

    /** All defaults. */
    public static InterPodAffinityArgs defaults() {
        return new InterPodAffinityArgs(null, null);
    }
}
