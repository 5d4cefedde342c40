package io.kube4j.scheduler.labels;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed label selector, as {@code metav1.LabelSelectorAsSelector} makes it: an absent selector
 * selects nothing, an empty one ({@code {}}) everything, and the requirements of a non-empty one
 * ({@code matchLabels} and {@code matchExpressions}) are ANDed. Immutable and thread-safe.
 */
public final class Selector {

    /** Selects no label set: what an absent ({@code null}) selector means. */
    public static final Selector NOTHING = new Selector(List.of(), true);
    /** Selects every label set: what an empty selector means. */
    public static final Selector EVERYTHING = new Selector(List.of(), false);

    /** The operators of {@code matchExpressions}. */
    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** One requirement on one label key. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    private final List<Requirement> requirements;
    private final boolean nothing;

    private Selector(List<Requirement> requirements, boolean nothing) {
        this.requirements = List.copyOf(requirements);
        this.nothing = nothing;
    }

    /**
     * Parses {@code selector}; {@code null} gives {@link #NOTHING}.
     *
     * @throws IllegalArgumentException naming the key when an expression is invalid (an unknown
     *         operator, no values for In/NotIn, values for Exists/DoesNotExist)
     */
    public static Selector parse(LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> requirements.add(new Requirement(key, Operator.IN, Set.of(value))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                requirements.add(requirement(expression));
            }
        }
        return new Selector(requirements, false);
    }

    /** The selector requiring every label of {@code labels} with its value; {@link #EVERYTHING} when empty. */
    public static Selector of(Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>();
        labels.forEach((key, value) -> requirements.add(new Requirement(key, Operator.IN, Set.of(value))));
        return new Selector(requirements, false);
    }

    /** This selector with {@code more} requirements ANDed; {@link #NOTHING} stays nothing. */
    public Selector and(List<Requirement> more) {
        if (nothing || more.isEmpty()) {
            return this;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(more);
        return new Selector(all, false);
    }

    /** Whether {@code labels} (null: no labels) satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        for (Requirement requirement : requirements) {
            if (!requirement.matches(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this selects everything (no requirements): {@code labels.Selector.Empty()}. */
    public boolean isEverything() {
        return !nothing && requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        return nothing ? "<nothing>" : requirements.toString();
    }

    private static Requirement requirement(LabelSelectorRequirement expression) {
        String key = expression.getKey();
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("matchExpressions: key is empty");
        }
        List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
        String operator = expression.getOperator() == null ? "" : expression.getOperator();
        return switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("matchExpressions " + key + ": for 'in', 'notin' operators, values set can't be empty");
                }
                yield new Requirement(key, operator.equals("In") ? Operator.IN : Operator.NOT_IN, Set.copyOf(values));
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("matchExpressions " + key + ": values set must be empty for exists and does not exist");
                }
                yield new Requirement(key, operator.equals("Exists") ? Operator.EXISTS : Operator.DOES_NOT_EXIST, Set.of());
            }
            default -> throw new IllegalArgumentException("matchExpressions " + key + ": \"" + operator + "\" is not a valid label selector operator");
        };
    }
}
