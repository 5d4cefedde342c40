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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Defaults of core/v1 objects other than pods and controllers, and of the smaller API groups. */
final class CoreDefaults {
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private CoreDefaults() {
    }

    static void service(ObjectNode service) {
        ObjectNode spec = object(service, "spec");
        text(spec, "sessionAffinity", "None");
        if (string(spec, "sessionAffinity").equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (string(spec, "sessionAffinity").equals("ClientIP")) {
            integer(object(object(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds", 10800);
        }
        text(spec, "type", "ClusterIP");
        String type = string(spec, "type");
        for (ObjectNode port : items(spec, "ports")) {
            text(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isNumber() && target.asInt() == 0)
                    || (target.isTextual() && target.asText().isEmpty());
            if (unset && port.has("port")) {
                port.set("targetPort", port.get("port"));
            }
        }
        if (externallyAccessible(spec)) {
            text(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Json.bool(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (type.equals("ExternalName")) {
            return;
        }
        text(spec, "internalTrafficPolicy", "Cluster");
        String clusterIp = string(spec, "clusterIP");
        if (!clusterIp.isEmpty() && absentOrEmpty(spec, "clusterIPs")) {
            spec.putArray("clusterIPs").add(clusterIp);
        }
        // A headless Service without a selector serves whatever endpoints it is given, of either family.
        boolean headlessWithoutSelector = clusterIp.equals("None") && absentOrEmpty(spec, "selector");
        text(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        if (absentOrEmpty(spec, "ipFamilies")) {
            ArrayNode families = spec.putArray("ipFamilies").add("IPv4");
            if (!string(spec, "ipFamilyPolicy").equals("SingleStack")) {
                families.add("IPv6");
            }
        }
    }

    static boolean externallyAccessible(ObjectNode spec) {
        String type = string(spec, "type");
        return type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !absentOrEmpty(spec, "externalIPs"));
    }

    static void namespace(ObjectNode namespace) {
        ObjectNode metadata = object(namespace, "metadata");
        String name = string(metadata, "name");
        if (!name.isEmpty()) {
            object(metadata, "labels").put("kubernetes.io/metadata.name", name);
        }
        ObjectNode spec = object(namespace, "spec");
        if (absent(spec, "finalizers")) {
            spec.putArray("finalizers").add("kubernetes");
        }
        text(object(namespace, "status"), "phase", "Active");
    }

    static void secret(ObjectNode secret) {
        text(secret, "type", "Opaque");
        // v1 stringData is write-only: kube merges it into data (base64, stringData winning) and drops it.
        if (secret.get("stringData") instanceof ObjectNode stringData) {
            ObjectNode data = object(secret, "data");
            for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
                data.put(entry.getKey(), Base64.getEncoder().encodeToString(
                        entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
        secret.remove("stringData");
    }

    static void node(ObjectNode node) {
        existing(node, "status").ifPresent(status -> {
            ResourceLists.canonicalize(status, "capacity", "allocatable");
            if (absentOrEmpty(status, "allocatable") && status.get("capacity") instanceof ObjectNode capacity) {
                status.set("allocatable", capacity.deepCopy());
            }
        });
    }

    static void endpoints(ObjectNode endpoints) {
        for (ObjectNode subset : items(endpoints, "subsets")) {
            for (ObjectNode port : items(subset, "ports")) {
                text(port, "protocol", "TCP");
            }
        }
    }

    static void endpointSlice(ObjectNode slice) {
        for (ObjectNode port : items(slice, "ports")) {
            text(port, "protocol", "TCP");
            if (!port.has("name")) {
                port.put("name", "");
            }
        }
    }

    static void limitRange(ObjectNode limitRange) {
        for (ObjectNode limit : items(object(limitRange, "spec"), "limits")) {
            ResourceLists.canonicalize(limit, "max", "min", "default", "defaultRequest", "maxLimitRequestRatio");
            if (!string(limit, "type").equals("Container")) {
                continue;
            }
            // A container limit defaults to the max, and a request to the limit, else to the min.
            ObjectNode defaults = object(limit, "default");
            fill(defaults, limit.get("max"));
            ObjectNode defaultRequest = object(limit, "defaultRequest");
            fill(defaultRequest, defaults);
            fill(defaultRequest, limit.get("min"));
            if (defaults.isEmpty()) {
                limit.remove("default");
            }
            if (defaultRequest.isEmpty()) {
                limit.remove("defaultRequest");
            }
        }
    }

    private static void fill(ObjectNode target, JsonNode source) {
        if (source instanceof ObjectNode values) {
            for (Map.Entry<String, JsonNode> entry : values.properties()) {
                if (!target.has(entry.getKey())) {
                    target.set(entry.getKey(), entry.getValue());
                }
            }
        }
    }

    static void resourceQuota(ObjectNode quota) {
        existing(quota, "spec").ifPresent(spec -> ResourceLists.canonicalize(spec, "hard"));
        existing(quota, "status").ifPresent(status -> ResourceLists.canonicalize(status, "hard", "used"));
    }

    static void roleBinding(ObjectNode binding) {
        existing(binding, "roleRef").ifPresent(ref -> text(ref, "apiGroup", RBAC_GROUP));
        for (ObjectNode subject : items(binding, "subjects")) {
            String kind = string(subject, "kind");
            if (absentOrEmpty(subject, "apiGroup") && (kind.equals("User") || kind.equals("Group"))) {
                subject.put("apiGroup", RBAC_GROUP);
            }
        }
    }

    static void priorityClass(ObjectNode priorityClass) {
        text(priorityClass, "preemptionPolicy", "PreemptLowerPriority");
    }

    static void horizontalPodAutoscaler(ObjectNode hpa) {
        ObjectNode spec = object(hpa, "spec");
        integer(spec, "minReplicas", 1);
        if (absentOrEmpty(spec, "metrics")) {
            ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").put("averageUtilization", 80);
        }
        existing(spec, "behavior").ifPresent(behavior -> {
            ObjectNode up = object(behavior, "scaleUp");
            integer(up, "stabilizationWindowSeconds", 0);
            text(up, "selectPolicy", "Max");
            if (absent(up, "policies")) {
                ArrayNode policies = up.putArray("policies");
                policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
                policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
            }
            ObjectNode down = object(behavior, "scaleDown");
            text(down, "selectPolicy", "Max");
            if (absent(down, "policies")) {
                down.putArray("policies").addObject().put("type", "Percent").put("value", 100)
                        .put("periodSeconds", 15);
            }
        });
    }
}
