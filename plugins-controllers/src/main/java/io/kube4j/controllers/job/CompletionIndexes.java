package io.kube4j.controllers.job;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The completion indexes of an Indexed Job: where a pod's index is written, and the
 * {@code status.completedIndexes} text ({@code "1,3-5,7"}: ascending, runs of consecutive indexes
 * as ranges), as kube's Job controller writes and reads it.
 */
final class CompletionIndexes {
    static final String KEY = "batch.kubernetes.io/job-completion-index";
    static final String ENV = "JOB_COMPLETION_INDEX";

    private CompletionIndexes() {
    }

    /** The indexes of {@code text} below {@code completions}; parts that do not parse are skipped. */
    static TreeSet<Integer> parse(String text, int completions) {
        TreeSet<Integer> indexes = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.strip().split("-", 2);
            try {
                int from = Integer.parseInt(bounds[0]);
                int to = bounds.length == 2 ? Integer.parseInt(bounds[1]) : from;
                for (int i = Math.max(0, from); i <= to && i < completions; i++) {
                    indexes.add(i);
                }
            } catch (NumberFormatException e) {
                // kube skips what it cannot read as well
            }
        }
        return indexes;
    }

    /** {@code indexes} as the status writes them; null when empty, so that the field is left out. */
    static String format(TreeSet<Integer> indexes) {
        if (indexes.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        Integer start = null;
        Integer last = null;
        for (int i : indexes) {
            if (last != null && i == last + 1) {
                last = i;
                continue;
            }
            append(text, start, last);
            start = i;
            last = i;
        }
        append(text, start, last);
        return text.toString();
    }

    private static void append(StringBuilder text, Integer start, Integer last) {
        if (start == null) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(start);
        if (!last.equals(start)) {
            text.append('-').append(last);
        }
    }

    /** A pod's index from its annotation (else its label); empty when absent or not a number. */
    static Optional<Integer> of(Map<String, String> annotations, Map<String, String> labels) {
        String value = annotations == null ? null : annotations.get(KEY);
        if (value == null && labels != null) {
            value = labels.get(KEY);
        }
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
