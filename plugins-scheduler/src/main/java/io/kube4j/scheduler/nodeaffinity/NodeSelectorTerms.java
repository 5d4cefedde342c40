package io.kube4j.scheduler.nodeaffinity;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Node selector terms, parsed once, matched against nodes with the semantics of
 * {@code component-helpers/scheduling/corev1/nodeaffinity}: the requirements of a term are ANDed;
 * a term without requirements, or with one that does not parse, matches no node.
 */
final class NodeSelectorTerms {

    static final String NODE_NAME_FIELD = "metadata.name";

    private NodeSelectorTerms() {
    }

    /** One parsed term: its requirements, or the reasons it cannot match anything. */
    record Term(List<Predicate<Node>> requirements, List<String> errors) {
        Term {
            requirements = List.copyOf(requirements);
            errors = List.copyOf(errors);
        }

        boolean matches(Node node) {
            if (!errors.isEmpty() || requirements.isEmpty()) {
                return false;
            }
            for (Predicate<Node> requirement : requirements) {
                if (!requirement.test(node)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether any of {@code terms} matches {@code node}: the terms of a node selector are ORed. */
    static boolean anyMatches(List<Term> terms, Node node) {
        for (Term term : terms) {
            if (term.matches(node)) {
                return true;
            }
        }
        return false;
    }

    static List<Term> parse(List<NodeSelectorTerm> terms) {
        List<Term> parsed = new ArrayList<>(terms.size());
        for (NodeSelectorTerm term : terms) {
            parsed.add(parse(term));
        }
        return parsed;
    }

    static Term parse(NodeSelectorTerm term) {
        List<Predicate<Node>> requirements = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (term == null) {
            return new Term(requirements, errors);
        }
        for (NodeSelectorRequirement requirement : orEmpty(term.getMatchExpressions())) {
            labelRequirement(requirement, requirements, errors);
        }
        for (NodeSelectorRequirement requirement : orEmpty(term.getMatchFields())) {
            fieldRequirement(requirement, requirements, errors);
        }
        return new Term(requirements, errors);
    }

    private static void labelRequirement(NodeSelectorRequirement requirement, List<Predicate<Node>> requirements,
                                         List<String> errors) {
        String key = requirement.getKey();
        List<String> values = orEmpty(requirement.getValues());
        String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
        if (key == null || key.isEmpty()) {
            errors.add("matchExpressions: key is empty");
            return;
        }
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errors.add("matchExpressions " + key + ": for 'in', 'notin' operators, values set can't be empty");
                    return;
                }
                boolean in = operator.equals("In");
                requirements.add(node -> {
                    String value = labels(node).get(key);
                    boolean contained = value != null && values.contains(value);
                    return in == contained;
                });
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errors.add("matchExpressions " + key + ": values set must be empty for exists and does not exist");
                    return;
                }
                boolean exists = operator.equals("Exists");
                requirements.add(node -> labels(node).containsKey(key) == exists);
            }
            case "Gt", "Lt" -> {
                if (values.size() != 1) {
                    errors.add("matchExpressions " + key + ": for 'Gt', 'Lt' operators, exactly one value is required");
                    return;
                }
                long bound;
                try {
                    bound = Long.parseLong(values.get(0));
                } catch (NumberFormatException e) {
                    errors.add("matchExpressions " + key + ": for 'Gt', 'Lt' operators, the value must be an integer");
                    return;
                }
                boolean greater = operator.equals("Gt");
                requirements.add(node -> {
                    String value = labels(node).get(key);
                    if (value == null) {
                        return false;
                    }
                    long actual;
                    try {
                        actual = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return false;
                    }
                    return greater ? actual > bound : actual < bound;
                });
            }
            default -> errors.add("matchExpressions " + key + ": \"" + operator + "\" is not a valid label selector operator");
        }
    }

    // The only node field there is to select on is metadata.name; any other key reads as "".
    private static void fieldRequirement(NodeSelectorRequirement requirement, List<Predicate<Node>> requirements,
                                         List<String> errors) {
        String key = requirement.getKey() == null ? "" : requirement.getKey();
        List<String> values = orEmpty(requirement.getValues());
        if (values.size() != 1) {
            errors.add("matchFields " + key + ": values must have one element");
            return;
        }
        String wanted = values.get(0);
        switch (requirement.getOperator() == null ? "" : requirement.getOperator()) {
            case "In" -> requirements.add(node -> field(node, key).equals(wanted));
            case "NotIn" -> requirements.add(node -> !field(node, key).equals(wanted));
            default -> errors.add("matchFields " + key + ": operator must be In or NotIn: " + requirement.getOperator());
        }
    }

    private static String field(Node node, String key) {
        return key.equals(NODE_NAME_FIELD) ? node.getMetadata().getName() : "";
    }

    static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
