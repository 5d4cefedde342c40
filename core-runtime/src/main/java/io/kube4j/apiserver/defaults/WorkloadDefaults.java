package io.kube4j.apiserver.defaults;

import static io.kube4j.apiserver.defaults.Json.absent;
import static io.kube4j.apiserver.defaults.Json.absentOrEmpty;
import static io.kube4j.apiserver.defaults.Json.bool;
import static io.kube4j.apiserver.defaults.Json.existing;
import static io.kube4j.apiserver.defaults.Json.integer;
import static io.kube4j.apiserver.defaults.Json.items;
import static io.kube4j.apiserver.defaults.Json.object;
import static io.kube4j.apiserver.defaults.Json.string;
import static io.kube4j.apiserver.defaults.Json.text;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Defaults of apps/v1, batch/v1 and ReplicationController objects (each one's SetDefaults_* of kube). */
final class WorkloadDefaults {
    private static final String ROLLING_UPDATE = "RollingUpdate";

    private WorkloadDefaults() {
    }

    static void deployment(ObjectNode deployment) {
        ObjectNode spec = object(deployment, "spec");
        integer(spec, "replicas", 1);
        ObjectNode strategy = object(spec, "strategy");
        text(strategy, "type", ROLLING_UPDATE);
        if (string(strategy, "type").equals(ROLLING_UPDATE)) {
            ObjectNode rolling = object(strategy, "rollingUpdate");
            if (absent(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (absent(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        integer(spec, "revisionHistoryLimit", 10);
        integer(spec, "progressDeadlineSeconds", 600);
        PodDefaults.template(object(spec, "template"));
    }

    static void replicaSet(ObjectNode replicaSet) {
        ObjectNode spec = object(replicaSet, "spec");
        integer(spec, "replicas", 1);
        PodDefaults.template(object(spec, "template"));
    }

    static void replicationController(ObjectNode controller) {
        ObjectNode spec = object(controller, "spec");
        existing(spec, "template").ifPresent(template -> {
            // A v1 ReplicationController selects, and is labelled, by its template's labels unless told otherwise.
            existing(template, "metadata").flatMap(m -> existing(m, "labels")).filter(l -> !l.isEmpty())
                    .ifPresent(labels -> {
                        if (absentOrEmpty(spec, "selector")) {
                            spec.set("selector", labels.deepCopy());
                        }
                        ObjectNode metadata = object(controller, "metadata");
                        if (absentOrEmpty(metadata, "labels")) {
                            metadata.set("labels", labels.deepCopy());
                        }
                    });
            PodDefaults.template(template);
        });
        integer(spec, "replicas", 1);
    }

    static void statefulSet(ObjectNode statefulSet) {
        ObjectNode spec = object(statefulSet, "spec");
        text(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = object(spec, "updateStrategy");
        if (string(strategy, "type").isEmpty()) {
            strategy.put("type", ROLLING_UPDATE);
            object(strategy, "rollingUpdate");
        }
        // An explicit RollingUpdate without parameters stays without them, as in kube.
        if (string(strategy, "type").equals(ROLLING_UPDATE)) {
            existing(strategy, "rollingUpdate").ifPresent(rolling -> integer(rolling, "partition", 0));
        }
        ObjectNode retention = object(spec, "persistentVolumeClaimRetentionPolicy");
        text(retention, "whenDeleted", "Retain");
        text(retention, "whenScaled", "Retain");
        integer(spec, "replicas", 1);
        integer(spec, "revisionHistoryLimit", 10);
        for (ObjectNode claim : items(spec, "volumeClaimTemplates")) {
            text(claim, "apiVersion", "v1");
            text(claim, "kind", "PersistentVolumeClaim");
            ObjectNode metadata = object(claim, "metadata");
            if (!metadata.has("creationTimestamp")) {
                metadata.putNull("creationTimestamp");
            }
            ObjectNode claimSpec = object(claim, "spec");
            text(claimSpec, "volumeMode", "Filesystem");
            existing(claimSpec, "resources").ifPresent(r -> ResourceLists.canonicalize(r, "limits", "requests"));
            text(object(claim, "status"), "phase", "Pending");
        }
        PodDefaults.template(object(spec, "template"));
    }

    static void daemonSet(ObjectNode daemonSet) {
        ObjectNode spec = object(daemonSet, "spec");
        ObjectNode strategy = object(spec, "updateStrategy");
        text(strategy, "type", ROLLING_UPDATE);
        if (string(strategy, "type").equals(ROLLING_UPDATE)) {
            ObjectNode rolling = object(strategy, "rollingUpdate");
            if (absent(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", 1);
            }
            if (absent(rolling, "maxSurge")) {
                rolling.put("maxSurge", 0);
            }
        }
        integer(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(object(spec, "template"));
    }

    static void job(ObjectNode job) {
        ObjectNode spec = object(job, "spec");
        jobSpec(job, spec);
        ObjectNode template = object(spec, "template");
        PodDefaults.template(template);
        JobSelector.generate(job);
        ObjectNode templateLabels = object(template, "metadata").get("labels") instanceof ObjectNode l ? l : null;
        ObjectNode metadata = object(job, "metadata");
        if (templateLabels != null && !templateLabels.isEmpty() && absentOrEmpty(metadata, "labels")) {
            metadata.set("labels", templateLabels.deepCopy());
        }
    }

    private static void jobSpec(ObjectNode job, ObjectNode spec) {
        if (absent(spec, "completions") && absent(spec, "parallelism")) {
            spec.put("completions", 1);
        }
        integer(spec, "parallelism", 1);
        integer(spec, "backoffLimit", absent(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
        text(spec, "completionMode", "NonIndexed");
        bool(spec, "suspend", false);
        bool(spec, "manualSelector", false);
        existing(spec, "podFailurePolicy").ifPresent(policy -> items(policy, "rules").forEach(rule ->
                items(rule, "onPodConditions").forEach(condition -> text(condition, "status", "True"))));
        text(spec, "podReplacementPolicy",
                absent(spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
    }

    static void cronJob(ObjectNode cronJob) {
        ObjectNode spec = object(cronJob, "spec");
        text(spec, "concurrencyPolicy", "Allow");
        bool(spec, "suspend", false);
        integer(spec, "successfulJobsHistoryLimit", 3);
        integer(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobTemplate = object(spec, "jobTemplate");
        ObjectNode metadata = object(jobTemplate, "metadata");
        if (!metadata.has("creationTimestamp")) {
            metadata.putNull("creationTimestamp");
        }
        PodDefaults.template(object(object(jobTemplate, "spec"), "template"));
    }
}
