package io.kube4j.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed field selector ({@code a=b}, {@code a==b}, {@code a!=b}, comma-separated). Only the
 * fields a resource supports may be used, as kube-apiserver's field label conversion allows:
 * {@code metadata.name} and {@code metadata.namespace} everywhere, plus per-kind fields.
 */
public final class FieldSelector {
    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    record Requirement(String field, boolean equals, String value) {
    }

    private final List<Requirement> requirements;

    private FieldSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** The value required by an {@code =} requirement on {@code field}, if any (lets callers narrow a scan). */
    public java.util.Optional<String> exactValue(String field) {
        return requirements.stream().filter(r -> r.equals && r.field.equals(field)).map(Requirement::value).findFirst();
    }

    public boolean matches(JsonNode object) {
        return matches(field -> fieldValue(object, field));
    }

    /**
     * Whether an object matches, reading its fields through {@code values} (dotted path to text,
     * null when unset; {@code source} means {@code source.component}).
     */
    public boolean matches(Function<String, String> values) {
        for (Requirement r : requirements) {
            String actual = values.apply(r.field);
            if (actual == null) {
                actual = unsetValue(r.field);
            }
            if (r.equals != actual.equals(r.value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a selector, checking each field against those supported for {@code kind}; an
     * unsupported one fails like kube-apiserver: {@code field label not supported: spec.foo}.
     */
    public static FieldSelector parse(String text, String kind) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int ne = p.indexOf("!=");
            int eqeq = p.indexOf("==");
            int eq = p.indexOf('=');
            Requirement r;
            if (ne >= 0) {
                r = new Requirement(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim());
            } else if (eqeq >= 0) {
                r = new Requirement(p.substring(0, eqeq).trim(), true, p.substring(eqeq + 2).trim());
            } else if (eq >= 0) {
                r = new Requirement(p.substring(0, eq).trim(), true, p.substring(eq + 1).trim());
            } else {
                throw new SelectorException("invalid selector: '" + text + "'; can't understand '" + p + "'");
            }
            if (!supported(kind).contains(r.field)) {
                throw new SelectorException("field label not supported: " + r.field);
            }
            out.add(r);
        }
        return new FieldSelector(out);
    }

    /** The fields a selector may name for {@code kind}, as kube-apiserver's field label conversion allows. */
    public static Set<String> supported(String kind) {
        return switch (kind) {
            case "Pod" -> Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
                    "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                    "status.podIP", "status.nominatedNodeName");
            case "Event" -> Set.of("metadata.name", "metadata.namespace", "involvedObject.kind",
                    "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                    "reason", "reportingComponent", "source", "type", "regarding.kind", "regarding.name",
                    "regarding.namespace", "regarding.uid");
            case "Node" -> Set.of("metadata.name", "spec.unschedulable");
            case "Namespace" -> Set.of("metadata.name", "status.phase");
            case "Secret" -> Set.of("metadata.name", "metadata.namespace", "type");
            case "ReplicaSet", "ReplicationController" -> Set.of("metadata.name", "metadata.namespace", "status.replicas");
            case "Job" -> Set.of("metadata.name", "metadata.namespace", "status.successful");
            default -> Set.of("metadata.name", "metadata.namespace");
        };
    }

    private static String fieldValue(JsonNode object, String field) {
        JsonNode n = object;
        for (String part : field.split("\\.")) {
            n = n.path(part);
        }
        if (field.equals("source")) {
            n = n.path("component");
        }
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** kube converts unset booleans to "false" for spec.unschedulable and spec.hostNetwork. */
    private static String unsetValue(String field) {
        return field.equals("spec.unschedulable") || field.equals("spec.hostNetwork") ? "false" : "";
    }
}
