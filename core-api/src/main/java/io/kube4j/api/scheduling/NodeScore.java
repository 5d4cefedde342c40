package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

/**
 * One node's score from one ScorePlugin. Raw scores may be any non-negative value; after
 * {@link ScoreExtensions#normalizeScore normalization} they must lie in
 * [{@link #MIN_NODE_SCORE}, {@link #MAX_NODE_SCORE}], and the framework multiplies them by the
 * plugin's weight from the profile.
 */
public record NodeScore(String name, long score) {

    public static final long MIN_NODE_SCORE = 0;
    public static final long MAX_NODE_SCORE = 100;

    public NodeScore {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        if (score < 0) {
            throw new IllegalArgumentException("score of node " + name + " must be >= 0: " + score);
        }
    }

    /** Whether this score is a valid normalized score. */
    public boolean isNormalized() {
        return score >= MIN_NODE_SCORE && score <= MAX_NODE_SCORE;
    }
}
