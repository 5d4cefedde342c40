package io.kube4j.apiserver.defaults;

import static io.kube4j.apiserver.defaults.Json.absent;
import static io.kube4j.apiserver.defaults.Json.absentOrEmpty;
import static io.kube4j.apiserver.defaults.Json.existing;
import static io.kube4j.apiserver.defaults.Json.integer;
import static io.kube4j.apiserver.defaults.Json.items;
import static io.kube4j.apiserver.defaults.Json.object;
import static io.kube4j.apiserver.defaults.Json.string;
import static io.kube4j.apiserver.defaults.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Defaults of Pods and of the pod templates that workloads carry (core/v1 SetDefaults_PodSpec and friends). */
final class PodDefaults {
    private static final int DEFAULT_FILE_MODE = 0644;
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
            "storageos", "csi", "ephemeral", "image");

    private PodDefaults() {
    }

    /** A Pod object: spec defaults, the pod-only ones (service links, requests from limits), and status. */
    static void pod(ObjectNode pod) {
        ObjectNode spec = object(pod, "spec");
        spec(spec);
        Json.bool(spec, "enableServiceLinks", true);
        // Pods only: templates keep their ports (kube's DefaultHostNetworkHostPortsInPodTemplates is off).
        boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
        for (ObjectNode container : allContainers(spec)) {
            requestsFromLimits(container);
            for (ObjectNode port : items(container, "ports")) {
                if (hostNetwork && absent(port, "hostPort") && port.has("containerPort")) {
                    port.set("hostPort", port.get("containerPort"));
                }
            }
        }
        ObjectNode status = object(pod, "status");
        text(status, "phase", "Pending");
        text(status, "qosClass", QosClass.of(spec));
    }

    /**
     * What the Priority admission plugin sets when no class applies, for a profile without that
     * plugin; it runs after mutating admission so that the plugin can still tell a priority the
     * client gave from none. A named class is the plugin's to resolve.
     */
    static void priority(ObjectNode pod) {
        ObjectNode spec = object(pod, "spec");
        if (absentOrEmpty(spec, "priorityClassName")) {
            integer(spec, "priority", 0);
            text(spec, "preemptionPolicy", "PreemptLowerPriority");
        }
    }

    /** A PodTemplateSpec inside a workload (metadata and spec). */
    static void template(ObjectNode template) {
        ObjectNode metadata = object(template, "metadata");
        if (!metadata.has("creationTimestamp")) {
            // kube-apiserver 1.32 serializes the zero time of a template as null; clients diff against that.
            metadata.putNull("creationTimestamp");
        }
        spec(object(template, "spec"));
    }

    static void spec(ObjectNode spec) {
        text(spec, "dnsPolicy", "ClusterFirst");
        text(spec, "restartPolicy", "Always");
        text(spec, "schedulerName", "default-scheduler");
        integer(spec, "terminationGracePeriodSeconds", 30);
        object(spec, "securityContext");
        // v1 keeps the deprecated serviceAccount in step with serviceAccountName.
        String accountName = string(spec, "serviceAccountName");
        String deprecated = string(spec, "serviceAccount");
        if (accountName.isEmpty() && !deprecated.isEmpty()) {
            spec.put("serviceAccountName", deprecated);
        } else if (!accountName.isEmpty()) {
            spec.put("serviceAccount", accountName);
        }
        for (ObjectNode container : allContainers(spec)) {
            container(container);
        }
        for (ObjectNode volume : items(spec, "volumes")) {
            volume(volume);
        }
        ResourceLists.canonicalize(spec.get("overhead"));
        ResourceLists.canonicalize(spec.get("resources"), "limits", "requests");
    }

    static List<ObjectNode> allContainers(ObjectNode spec) {
        List<ObjectNode> containers = new java.util.ArrayList<>(items(spec, "initContainers"));
        containers.addAll(items(spec, "containers"));
        return containers;
    }

    private static void container(ObjectNode container) {
        text(container, "terminationMessagePath", "/dev/termination-log");
        text(container, "terminationMessagePolicy", "File");
        text(container, "imagePullPolicy", hasLatestTag(string(container, "image")) ? "Always" : "IfNotPresent");
        ResourceLists.canonicalize(object(container, "resources"), "limits", "requests");
        for (ObjectNode port : items(container, "ports")) {
            text(port, "protocol", "TCP");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            existing(container, probe).ifPresent(PodDefaults::probe);
        }
        existing(container, "lifecycle").ifPresent(lifecycle -> {
            existing(lifecycle, "postStart").ifPresent(PodDefaults::handler);
            existing(lifecycle, "preStop").ifPresent(PodDefaults::handler);
        });
        for (ObjectNode env : items(container, "env")) {
            existing(env, "valueFrom").flatMap(from -> existing(from, "fieldRef"))
                    .ifPresent(ref -> text(ref, "apiVersion", "v1"));
        }
    }

    private static void probe(ObjectNode probe) {
        integer(probe, "timeoutSeconds", 1);
        integer(probe, "periodSeconds", 10);
        integer(probe, "successThreshold", 1);
        integer(probe, "failureThreshold", 3);
        handler(probe);
    }

    private static void handler(ObjectNode handler) {
        existing(handler, "httpGet").ifPresent(get -> {
            text(get, "path", "/");
            text(get, "scheme", "HTTP");
        });
    }

    private static void volume(ObjectNode volume) {
        if (VOLUME_SOURCES.stream().noneMatch(volume::has)) {
            volume.putObject("emptyDir");
        }
        for (String source : List.of("secret", "configMap", "projected", "downwardAPI")) {
            existing(volume, source).ifPresent(s -> integer(s, "defaultMode", DEFAULT_FILE_MODE));
        }
        existing(volume, "hostPath").ifPresent(hostPath -> {
            if (!hostPath.has("type")) {
                hostPath.put("type", "");
            }
        });
        for (String source : List.of("downwardAPI")) {
            existing(volume, source).ifPresent(s -> items(s, "items").forEach(item ->
                    existing(item, "fieldRef").ifPresent(ref -> text(ref, "apiVersion", "v1"))));
        }
        existing(volume, "projected").ifPresent(projected -> items(projected, "sources").forEach(source -> {
            existing(source, "downwardAPI").ifPresent(s -> items(s, "items").forEach(item ->
                    existing(item, "fieldRef").ifPresent(ref -> text(ref, "apiVersion", "v1"))));
            existing(source, "serviceAccountToken").ifPresent(token ->
                    integer(token, "expirationSeconds", 3600));
        }));
    }

    /** Pods (not templates) get requests copied from limits for every resource that has no request. */
    private static void requestsFromLimits(ObjectNode container) {
        ObjectNode resources = object(container, "resources");
        if (!(resources.get("limits") instanceof ObjectNode limits) || limits.isEmpty()) {
            return;
        }
        ObjectNode requests = object(resources, "requests");
        for (Map.Entry<String, JsonNode> limit : limits.properties()) {
            if (!requests.has(limit.getKey())) {
                requests.set(limit.getKey(), limit.getValue());
            }
        }
    }

    /**
     * Whether the image reference has the tag {@code latest}, written or implied. A digest without a tag implies
     * no tag at all.
     */
    static boolean hasLatestTag(String image) {
        String name = image;
        int at = name.indexOf('@');
        boolean digest = at >= 0;
        if (digest) {
            name = name.substring(0, at);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            return name.substring(colon + 1).equals("latest");
        }
        return !digest;
    }
}
