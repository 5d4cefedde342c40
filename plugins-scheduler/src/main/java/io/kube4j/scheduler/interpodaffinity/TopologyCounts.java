package io.kube4j.scheduler.interpodaffinity;

import java.util.HashMap;
import java.util.Map;

/** How many matching pods (or terms) each topology pair ({@code zone=z1}) has; zero entries are removed. Not thread-safe. */
final class TopologyCounts {

    record Pair(String key, String value) {
    }

    private final Map<Pair, Long> counts;

    TopologyCounts() {
        this.counts = new HashMap<>();
    }

    private TopologyCounts(Map<Pair, Long> counts) {
        this.counts = new HashMap<>(counts);
    }

    void add(String key, String value, long delta) {
        counts.merge(new Pair(key, value), delta, (old, added) -> old + added == 0 ? null : old + added);
    }

    long get(String key, String value) {
        return counts.getOrDefault(new Pair(key, value), 0L);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    Map<Pair, Long> asMap() {
        return Map.copyOf(counts);
    }

    TopologyCounts copy() {
        return new TopologyCounts(counts);
    }
}
