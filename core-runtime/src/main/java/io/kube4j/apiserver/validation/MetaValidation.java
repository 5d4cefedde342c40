package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.has;
import static io.kube4j.apiserver.validation.Errors.index;
import static io.kube4j.apiserver.validation.Errors.items;
import static io.kube4j.apiserver.validation.Errors.object;
import static io.kube4j.apiserver.validation.Errors.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** ObjectMeta, labels, annotations and label selectors (apimachinery's ValidateObjectMeta and friends). */
final class MetaValidation {
    static final int TOTAL_ANNOTATION_SIZE = 256 * 1024;

    private MetaValidation() {
    }

    /** Checks a name, or a generateName when {@code prefix}; kube lets a prefix end in '-'. */
    interface NameRule {
        List<String> check(String name, boolean prefix);

        static NameRule of(Function<String, List<String>> check) {
            return (name, prefix) -> check.apply(prefix && name.endsWith("-")
                    ? name.substring(0, name.length() - 1) + "a" : name);
        }
    }

    static final NameRule DNS_SUBDOMAIN = NameRule.of(NameValidation::dns1123Subdomain);
    static final NameRule DNS_LABEL = NameRule.of(NameValidation::dns1123Label);
    static final NameRule DNS1035_LABEL = NameRule.of(NameValidation::dns1035Label);
    static final NameRule PATH_SEGMENT = (name, prefix) -> prefix
            ? NameValidation.pathSegmentName(name).stream().filter(m -> m.startsWith("may not contain")).toList()
            : NameValidation.pathSegmentName(name);

    static void objectMeta(Errors errors, JsonNode object, boolean namespaced, NameRule names) {
        JsonNode meta = object(object, "metadata");
        String generateName = text(meta, "generateName");
        if (!generateName.isEmpty()) {
            for (String msg : names.check(generateName, true)) {
                errors.invalid("metadata.generateName", generateName, msg);
            }
        }
        String name = text(meta, "name");
        if (name.isEmpty()) {
            errors.required("metadata.name", "name or generateName is required");
        } else {
            for (String msg : names.check(name, false)) {
                errors.invalid("metadata.name", name, msg);
            }
        }
        String namespace = text(meta, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errors.required("metadata.namespace");
            } else {
                errors.check("metadata.namespace", namespace, NameValidation::dns1123Label);
            }
        } else if (!namespace.isEmpty()) {
            errors.forbidden("metadata.namespace", "not allowed on this type");
        }
        errors.nonNegative("metadata.generation", meta.get("generation"));
        common(errors, meta);
    }

    private static void common(Errors errors, JsonNode meta) {
        labels(errors, meta.get("labels"), "metadata.labels");
        annotations(errors, meta.get("annotations"), "metadata.annotations");
        ownerReferences(errors, meta);
        for (JsonNode finalizer : items(meta, "finalizers")) {
            errors.check("metadata.finalizers", finalizer.asText(), NameValidation::qualifiedName);
        }
    }

    /**
     * ValidateObjectMetaUpdate. The server copies uid and creationTimestamp from the stored object when a client
     * leaves them out, so only a present, different value is an error here.
     */
    static void objectMetaUpdate(Errors errors, JsonNode object, JsonNode old) {
        JsonNode meta = object(object, "metadata");
        JsonNode oldMeta = object(old, "metadata");
        if (meta.path("generation").asLong(0) < oldMeta.path("generation").asLong(0)) {
            errors.invalid("metadata.generation", meta.path("generation").asLong(0), "must not be decremented");
        }
        errors.immutable("metadata.name", meta.get("name"), oldMeta.get("name"));
        errors.immutable("metadata.namespace", meta.get("namespace"), oldMeta.get("namespace"));
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")) {
            if (has(meta, field)) {
                errors.immutable("metadata." + field, meta.get(field), oldMeta.get(field));
            }
        }
        common(errors, meta);
    }

    static void labels(Errors errors, JsonNode labels, String path) {
        if (labels == null || !labels.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            errors.check(path, label.getKey(), NameValidation::qualifiedName);
            errors.check(path, label.getValue().asText(), NameValidation::labelValue);
        }
    }

    static void annotations(Errors errors, JsonNode annotations, String path) {
        if (annotations == null || !annotations.isObject()) {
            return;
        }
        long size = 0;
        for (Map.Entry<String, JsonNode> annotation : annotations.properties()) {
            String key = annotation.getKey();
            for (String msg : NameValidation.qualifiedName(key.toLowerCase(Locale.ROOT))) {
                errors.invalid(path, key, msg);
            }
            size += key.getBytes(StandardCharsets.UTF_8).length
                    + annotation.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > TOTAL_ANNOTATION_SIZE) {
            errors.tooLong(path, TOTAL_ANNOTATION_SIZE);
        }
    }

    private static void ownerReferences(Errors errors, JsonNode meta) {
        String path = "metadata.ownerReferences";
        int controllers = 0;
        for (JsonNode ref : items(meta, "ownerReferences")) {
            if (text(ref, "apiVersion").isEmpty()) {
                errors.invalid(path + ".apiVersion", "", "version must not be empty");
            }
            if (text(ref, "kind").isEmpty()) {
                errors.invalid(path + ".kind", "", "kind must not be empty");
            }
            if (text(ref, "name").isEmpty()) {
                errors.invalid(path + ".name", "", "name must not be empty");
            }
            if (text(ref, "uid").isEmpty()) {
                errors.invalid(path + ".uid", "", "uid must not be empty");
            }
            if (ref.path("controller").asBoolean(false)) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errors.invalid(path, meta.get("ownerReferences"), "Only one reference can have Controller set to true");
        }
    }

    /** ValidateLabelSelector. */
    static void labelSelector(Errors errors, JsonNode selector, String path) {
        if (selector == null || !selector.isObject()) {
            return;
        }
        List<JsonNode> expressions = items(selector, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            JsonNode requirement = expressions.get(i);
            String at = index(path + ".matchExpressions", i);
            String operator = text(requirement, "operator");
            int values = items(requirement, "values").size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.forbidden(at + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> errors.invalid(at + ".operator", operator, "not a valid selector operator");
            }
            errors.check(at + ".key", text(requirement, "key"), NameValidation::qualifiedName);
        }
        labels(errors, selector.get("matchLabels"), path + ".matchLabels");
    }

    static boolean selectorIsEmpty(JsonNode selector) {
        return object(selector, "matchLabels").isEmpty() && items(selector, "matchExpressions").isEmpty();
    }

    /** Whether {@code labels} satisfy the label selector. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        JsonNode set = labels == null || !labels.isObject() ? object(null, "") : labels;
        for (Map.Entry<String, JsonNode> required : object(selector, "matchLabels").properties()) {
            if (!required.getValue().asText().equals(text(set, required.getKey())) || !set.has(required.getKey())) {
                return false;
            }
        }
        for (JsonNode requirement : items(selector, "matchExpressions")) {
            String key = text(requirement, "key");
            boolean present = set.has(key);
            boolean listed = items(requirement, "values").stream().anyMatch(v -> v.asText().equals(text(set, key)));
            boolean ok = switch (text(requirement, "operator")) {
                case "In" -> present && listed;
                case "NotIn" -> !present || !listed;
                case "Exists" -> present;
                case "DoesNotExist" -> !present;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
