package io.kube4j.runtime.scheduler;

import io.kube4j.api.scheduling.CycleState;
import java.util.List;

/**
 * Every Score plugin's scores of every feasible node in one cycle: raw, normalized, and the
 * weighted total per node. The framework writes it into the cycle state; the attempt's
 * explanation reads it. Its arrays are never changed after it is written.
 *
 * @param plugins    the Score plugins that ran (those that skipped at PreScore are absent)
 * @param weights    each plugin's weight, by plugin index
 * @param nodes      the scored nodes
 * @param raw        {@code raw[plugin][node]}: what {@code score} returned
 * @param normalized {@code normalized[plugin][node]}: after {@code normalizeScore} (the raw score if the plugin does not normalize)
 * @param totals     the sum over plugins of normalized × weight, by node index
 */
record ScoreTable(List<String> plugins, int[] weights, List<String> nodes, long[][] raw, long[][] normalized,
                  long[] totals) implements CycleState.StateData {
    static final CycleState.Key<ScoreTable> KEY = new CycleState.Key<>("kube4j.io/framework-scores", ScoreTable.class);
}
