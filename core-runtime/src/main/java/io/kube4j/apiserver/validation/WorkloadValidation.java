package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.has;
import static io.kube4j.apiserver.validation.Errors.object;
import static io.kube4j.apiserver.validation.Errors.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/** Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers, Jobs and CronJobs. */
final class WorkloadValidation {
    private static final List<String> ALWAYS = List.of("Always");
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9A-Za-z*/,?LW#-]+");

    private WorkloadValidation() {
    }

    static void deployment(Errors errors, JsonNode deployment) {
        JsonNode spec = object(deployment, "spec");
        errors.nonNegative("spec.replicas", spec.get("replicas"));
        replicaSelectorAndTemplate(errors, spec, "deployment", "Deployment");
        strategy(errors, object(spec, "strategy"));
        errors.nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"));
        errors.nonNegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"));
        JsonNode deadline = spec.get("progressDeadlineSeconds");
        if (deadline != null && deadline.isNumber()) {
            errors.nonNegative("spec.progressDeadlineSeconds", deadline);
            if (deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
                errors.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
            }
        }
    }

    static void replicaSet(Errors errors, JsonNode replicaSet) {
        JsonNode spec = object(replicaSet, "spec");
        errors.nonNegative("spec.replicas", spec.get("replicas"));
        errors.nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"));
        // kube's ReplicaSet check says "deployment" too.
        replicaSelectorAndTemplate(errors, spec, "deployment", "ReplicaSet");
    }

    static void daemonSet(Errors errors, JsonNode daemonSet) {
        JsonNode spec = object(daemonSet, "spec");
        // Unlike the others, kube does not require a DaemonSet's selector: a missing one matches nothing.
        JsonNode selector = spec.get("selector");
        boolean convertible = true;
        if (selector != null && selector.isObject()) {
            int before = errors.size();
            MetaValidation.labelSelector(errors, selector, "spec.selector");
            convertible = errors.size() == before;
        } else {
            selector = null;
        }
        if (convertible) {
            labelsMatch(errors, selector, object(spec, "template"));
        }
        if (selector != null && MetaValidation.selectorIsEmpty(selector)) {
            errors.invalid("spec.selector", GoFormat.literal(GoFormat.labelSelector(selector)),
                    "empty selector is invalid for daemonset");
        }
        PodValidation.template(errors, object(spec, "template"), "spec.template");
        alwaysRestart(errors, object(spec, "template"), "DaemonSet");
        errors.nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"));
        errors.nonNegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"));
        JsonNode strategy = object(spec, "updateStrategy");
        String type = text(strategy, "type");
        if (type.isEmpty()) {
            errors.required("spec.updateStrategy.type");
        } else if (!List.of("RollingUpdate", "OnDelete").contains(type)) {
            errors.notSupported("spec.updateStrategy.type", strategy.get("type"), List.of("RollingUpdate", "OnDelete"));
        } else if (type.equals("RollingUpdate")) {
            JsonNode rolling = object(strategy, "rollingUpdate");
            String at = "spec.updateStrategy.rollingUpdate";
            intOrPercent(errors, rolling.get("maxUnavailable"), at + ".maxUnavailable", true);
            intOrPercent(errors, rolling.get("maxSurge"), at + ".maxSurge", true);
            if (isZero(rolling.get("maxUnavailable")) && isZero(rolling.get("maxSurge"))) {
                errors.invalid(at + ".maxUnavailable", rolling.get("maxUnavailable"), "cannot be 0 when maxSurge is 0");
            }
        }
    }

    static void statefulSet(Errors errors, JsonNode statefulSet) {
        JsonNode spec = object(statefulSet, "spec");
        String policy = text(spec, "podManagementPolicy");
        if (policy.isEmpty()) {
            errors.required("spec.podManagementPolicy");
        } else if (!List.of("OrderedReady", "Parallel").contains(policy)) {
            errors.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'");
        }
        JsonNode strategy = object(spec, "updateStrategy");
        String type = text(strategy, "type");
        if (type.isEmpty()) {
            errors.required("spec.updateStrategy");
        } else if (type.equals("OnDelete")) {
            if (has(strategy, "rollingUpdate")) {
                errors.invalid("spec.updateStrategy.rollingUpdate", strategy.get("rollingUpdate"),
                        "only allowed for updateStrategy 'RollingUpdate'");
            }
        } else if (type.equals("RollingUpdate")) {
            errors.nonNegative("spec.updateStrategy.rollingUpdate.partition",
                    object(strategy, "rollingUpdate").get("partition"));
        } else {
            errors.invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'");
        }
        errors.nonNegative("spec.replicas", spec.get("replicas"));
        errors.nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"));
        replicaSelectorAndTemplate(errors, spec, "statefulset", "StatefulSet");
    }

    static void replicationController(Errors errors, JsonNode controller) {
        JsonNode spec = object(controller, "spec");
        errors.nonNegative("spec.replicas", spec.get("replicas"));
        errors.nonNegative("spec.minReadySeconds", spec.get("minReadySeconds"));
        JsonNode selector = object(spec, "selector");
        if (selector.isEmpty()) {
            errors.required("spec.selector");
        }
        MetaValidation.labels(errors, selector, "spec.selector");
        if (!has(spec, "template")) {
            errors.required("spec.template");
            return;
        }
        JsonNode template = spec.get("template");
        JsonNode labels = object(template, "metadata").get("labels");
        if (!selector.isEmpty() && !MetaValidation.matches(matchLabels(selector), labels)) {
            errors.invalid("spec.template.metadata.labels", GoFormat.literal(GoFormat.stringMap(labels)),
                    "`selector` does not match template `labels`");
        }
        PodValidation.template(errors, template, "spec.template");
        alwaysRestart(errors, template, "ReplicationController");
    }

    private static JsonNode matchLabels(JsonNode labels) {
        ObjectNode selector = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        selector.set("matchLabels", labels);
        return selector;
    }

    /**
     * The selector (required, valid, not empty) and the template of a Deployment, ReplicaSet or StatefulSet, as
     * kube checks them: a missing selector matches no labels, so it also fails the template check; an empty one
     * matches all; one that does not parse skips the template.
     */
    private static void replicaSelectorAndTemplate(Errors errors, JsonNode spec, String lowerKind, String kind) {
        JsonNode selector = spec.get("selector");
        boolean convertible = true;
        if (selector == null || !selector.isObject()) {
            errors.required("spec.selector");
            selector = null;
        } else {
            int before = errors.size();
            MetaValidation.labelSelector(errors, selector, "spec.selector");
            convertible = errors.size() == before;
            if (MetaValidation.selectorIsEmpty(selector)) {
                errors.invalid("spec.selector", GoFormat.literal(GoFormat.labelSelector(selector)),
                        "empty selector is invalid for " + lowerKind);
            }
        }
        if (!convertible) {
            errors.invalid("spec.selector", GoFormat.literal(GoFormat.labelSelector(selector)),
                    "invalid label selector");
            return;
        }
        JsonNode template = object(spec, "template");
        if (selector == null || !MetaValidation.selectorIsEmpty(selector)) {
            labelsMatch(errors, selector, template);
        }
        PodValidation.template(errors, template, "spec.template");
        alwaysRestart(errors, template, kind);
    }

    /** The template's labels satisfy the selector; a missing selector is satisfied by nothing. */
    private static void labelsMatch(Errors errors, JsonNode selector, JsonNode template) {
        JsonNode labels = object(template, "metadata").get("labels");
        if (selector == null || !MetaValidation.matches(selector, labels)) {
            errors.invalid("spec.template.metadata.labels", GoFormat.literal(GoFormat.stringMap(labels)),
                    "`selector` does not match template `labels`");
        }
    }

    private static void alwaysRestart(Errors errors, JsonNode template, String kind) {
        JsonNode podSpec = object(template, "spec");
        String policy = text(podSpec, "restartPolicy");
        if (!policy.isEmpty() && !policy.equals("Always")) {
            errors.notSupported("spec.template.spec.restartPolicy", podSpec.get("restartPolicy"), ALWAYS);
        }
        if (has(podSpec, "activeDeadlineSeconds")) {
            String message = "activeDeadlineSeconds in " + kind + " is not Supported";
            if (kind.equals("DaemonSet")) {
                errors.invalid("spec.template.spec.activeDeadlineSeconds", podSpec.get("activeDeadlineSeconds"),
                        message);
            } else {
                errors.forbidden("spec.template.spec.activeDeadlineSeconds", message);
            }
        }
    }

    private static void strategy(Errors errors, JsonNode strategy) {
        String type = text(strategy, "type");
        List<String> types = List.of("Recreate", "RollingUpdate");
        if (type.isEmpty()) {
            errors.required("spec.strategy.type");
        } else if (!types.contains(type)) {
            errors.notSupported("spec.strategy.type", strategy.get("type"), types);
        } else if (type.equals("Recreate")) {
            if (has(strategy, "rollingUpdate")) {
                errors.forbidden("spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'");
            }
        } else {
            JsonNode rolling = object(strategy, "rollingUpdate");
            String at = "spec.strategy.rollingUpdate";
            intOrPercent(errors, rolling.get("maxUnavailable"), at + ".maxUnavailable", true);
            intOrPercent(errors, rolling.get("maxSurge"), at + ".maxSurge", false);
            if (isZero(rolling.get("maxUnavailable")) && isZero(rolling.get("maxSurge"))) {
                errors.invalid(at + ".maxUnavailable", rolling.get("maxUnavailable"),
                        "may not be 0 when `maxSurge` is 0");
            }
        }
    }

    private static void intOrPercent(Errors errors, JsonNode value, String path, boolean atMost100) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (!NameValidation.isPercent(text)) {
                errors.invalid(path, text, NameValidation.percentError());
            } else if (atMost100 && new java.math.BigInteger(text.substring(0, text.length() - 1))
                    .compareTo(java.math.BigInteger.valueOf(100)) > 0) {
                errors.invalid(path, text, "must not be greater than 100%");
            }
        } else {
            errors.nonNegative(path, value);
        }
    }

    private static boolean isZero(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        return value.isNumber() ? value.asLong() == 0 : value.asText().equals("0%");
    }

    static void job(Errors errors, JsonNode job) {
        JsonNode spec = object(job, "spec");
        jobSpec(errors, spec, "spec");
        boolean manual = spec.path("manualSelector").asBoolean(false);
        boolean generated = !text(object(job, "metadata"), "uid").isEmpty();
        JsonNode selector = spec.get("selector");
        if (selector == null || !selector.isObject()) {
            // Without a manual selector the server generates one once the Job has its uid.
            if (manual || generated) {
                errors.required("spec.selector");
            }
        } else {
            MetaValidation.labelSelector(errors, selector, "spec.selector");
            JsonNode labels = object(object(spec, "template"), "metadata").get("labels");
            if (!MetaValidation.matches(selector, labels)) {
                errors.invalid("spec.template.metadata.labels", GoFormat.literal(GoFormat.stringMap(labels)),
                        "`selector` does not match template `labels`");
            }
        }
    }

    private static void jobSpec(Errors errors, JsonNode spec, String path) {
        for (String field : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes")) {
            errors.nonNegative(path + "." + field, spec.get(field));
        }
        String mode = text(spec, "completionMode");
        if (!mode.isEmpty() && !List.of("NonIndexed", "Indexed").contains(mode)) {
            errors.notSupported(path + ".completionMode", spec.get("completionMode"), List.of("NonIndexed", "Indexed"));
        }
        if (mode.equals("Indexed") && !has(spec, "completions")) {
            errors.required(path + ".completions", "when completion mode is Indexed");
        }
        // Failures counted per index: an Indexed Job's, and maxFailedIndexes only beside backoffLimitPerIndex.
        if (has(spec, "maxFailedIndexes") && !has(spec, "backoffLimitPerIndex")) {
            errors.required(path + ".backoffLimitPerIndex", "when maxFailedIndexes is specified");
        }
        if (mode.equals("Indexed") && has(spec, "completions") && has(spec, "maxFailedIndexes")
                && spec.get("maxFailedIndexes").asLong() > spec.get("completions").asLong()) {
            errors.invalid(path + ".maxFailedIndexes", spec.get("maxFailedIndexes").asLong(), "must be less than or equal to completions");
        }
        if (!mode.equals("Indexed")) {
            for (String field : List.of("backoffLimitPerIndex", "maxFailedIndexes")) {
                if (has(spec, field)) {
                    errors.invalid(path + "." + field, spec.get(field).asLong(), "requires indexed completion mode");
                }
            }
        }
        JsonNode rules = object(spec, "podFailurePolicy").path("rules");
        for (int i = 0; i < rules.size(); i++) {
            if (text(rules.get(i), "action").equals("FailIndex") && !has(spec, "backoffLimitPerIndex")) {
                errors.invalid(path + ".podFailurePolicy.rules[" + i + "].action", "FailIndex",
                        "requires the backoffLimitPerIndex to be set");
            }
        }
        JsonNode template = object(spec, "template");
        PodValidation.template(errors, template, path + ".template");
        String policy = text(object(template, "spec"), "restartPolicy");
        if (!policy.equals("OnFailure") && !policy.equals("Never")) {
            errors.notSupported(path + ".template.spec.restartPolicy", object(template, "spec").get("restartPolicy"),
                    List.of("OnFailure", "Never"));
        }
    }

    static void jobUpdate(Errors errors, JsonNode job, JsonNode old) {
        JsonNode spec = object(job, "spec");
        JsonNode oldSpec = object(old, "spec");
        if (has(oldSpec, "selector")) {
            immutableSelector(errors, spec.get("selector"), oldSpec.get("selector"));
        }
        errors.immutable("spec.completionMode", spec.get("completionMode"), oldSpec.get("completionMode"));
        errors.immutable("spec.backoffLimitPerIndex", spec.get("backoffLimitPerIndex"), oldSpec.get("backoffLimitPerIndex"));
        if (!text(spec, "completionMode").equals("Indexed")) {
            errors.immutable("spec.completions", spec.get("completions"), oldSpec.get("completions"));
        }
        if (!Errors.orNull(spec.get("template")).equals(Errors.orNull(oldSpec.get("template")))) {
            errors.invalid("spec.template", spec.get("template"), "field is immutable");
        }
    }

    static void cronJob(Errors errors, JsonNode cronJob) {
        String name = text(object(cronJob, "metadata"), "name");
        if (name.length() > 52) {
            errors.invalid("metadata.name", name, "must be no more than 52 characters");
        }
        JsonNode spec = object(cronJob, "spec");
        String schedule = text(spec, "schedule");
        if (schedule.isEmpty()) {
            errors.required("spec.schedule");
        } else {
            scheduleErrors(schedule).ifPresent(msg -> errors.invalid("spec.schedule", schedule, msg));
        }
        List<String> policies = List.of("Allow", "Forbid", "Replace");
        String policy = text(spec, "concurrencyPolicy");
        if (policy.isEmpty()) {
            errors.required("spec.concurrencyPolicy");
        } else if (!policies.contains(policy)) {
            errors.notSupported("spec.concurrencyPolicy", spec.get("concurrencyPolicy"), policies);
        }
        for (String field : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit")) {
            errors.nonNegative("spec." + field, spec.get(field));
        }
        JsonNode jobTemplate = object(spec, "jobTemplate");
        JsonNode jobSpec = object(jobTemplate, "spec");
        jobSpec(errors, jobSpec, "spec.jobTemplate.spec");
        if (jobSpec.path("manualSelector").asBoolean(false)) {
            errors.notSupported("spec.jobTemplate.spec.manualSelector", jobSpec.get("manualSelector"),
                    List.of("nil", "false"));
        }
    }

    private static java.util.Optional<String> scheduleErrors(String schedule) {
        String trimmed = schedule.trim();
        if (trimmed.contains("TZ=") || trimmed.contains("CRON_TZ=")) {
            return java.util.Optional.of("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
        if (trimmed.startsWith("@")) {
            return List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
                    .contains(trimmed) || trimmed.startsWith("@every ") ? java.util.Optional.empty()
                    : java.util.Optional.of("unrecognized descriptor: " + trimmed);
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5) {
            return java.util.Optional.of("expected exactly 5 fields, found " + fields.length + ": ["
                    + String.join(" ", fields) + "]");
        }
        for (String field : fields) {
            if (!CRON_FIELD.matcher(field).matches()) {
                return java.util.Optional.of("failed to parse int from " + field);
            }
        }
        return java.util.Optional.empty();
    }

    /** apps/v1 selectors may not change once set. */
    static void immutableSelector(Errors errors, JsonNode selector, JsonNode old) {
        if (!Errors.orNull(selector).equals(Errors.orNull(old))) {
            JsonNode value = selector == null || !selector.isObject() ? Errors.orNull(selector)
                    : GoFormat.literal(GoFormat.labelSelector(selector));
            errors.invalid("spec.selector", value, "field is immutable");
        }
    }

    /** Only replicas, ordinals, template, updateStrategy, history, retention and minReadySeconds may change. */
    static void statefulSetUpdate(Errors errors, JsonNode statefulSet, JsonNode old) {
        ObjectNode spec = object(statefulSet, "spec").deepCopy();
        ObjectNode oldSpec = object(old, "spec").deepCopy();
        for (String field : List.of("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy")) {
            spec.remove(field);
            oldSpec.remove(field);
        }
        if (!spec.equals(oldSpec)) {
            errors.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                    + "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
                    + "and 'minReadySeconds' are forbidden");
        }
    }
}
