package io.kube4j.scheduler.defaultpreemption;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** metav1.LabelSelector matching, for PodDisruptionBudgets' selectors. */
final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * Whether {@code selector} selects {@code labels}. A missing or empty selector selects
     * nothing here, as kube-scheduler's preemption treats a PDB without one; an operator it does
     * not know selects nothing too (kube fails to parse such a selector and skips the PDB).
     */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null
                ? List.of() : selector.getMatchExpressions();
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement requirement : expressions) {
            String value = labels.get(requirement.getKey());
            List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
            boolean ok = switch (requirement.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> labels.containsKey(requirement.getKey());
                case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
