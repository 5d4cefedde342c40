package io.kube4j.apiserver.defaults;

import static io.kube4j.apiserver.defaults.Json.object;
import static io.kube4j.apiserver.defaults.Json.string;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The selector kube-apiserver gives a Job that does not ask for a manual one: the Job's uid and name as labels on
 * its pod template, matched exactly. It needs the uid, so it happens once the server has set metadata.uid.
 */
final class JobSelector {
    private JobSelector() {
    }

    static void generate(ObjectNode job) {
        ObjectNode metadata = object(job, "metadata");
        String uid = string(metadata, "uid");
        String name = string(metadata, "name");
        ObjectNode spec = object(job, "spec");
        if (uid.isEmpty() || spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        ObjectNode labels = object(object(object(spec, "template"), "metadata"), "labels");
        Json.text(labels, "batch.kubernetes.io/controller-uid", uid);
        Json.text(labels, "batch.kubernetes.io/job-name", name);
        Json.text(labels, "controller-uid", uid);
        Json.text(labels, "job-name", name);
        Json.text(object(object(spec, "selector"), "matchLabels"), "batch.kubernetes.io/controller-uid", uid);
    }
}
