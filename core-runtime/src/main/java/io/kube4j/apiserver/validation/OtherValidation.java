package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.has;
import static io.kube4j.apiserver.validation.Errors.index;
import static io.kube4j.apiserver.validation.Errors.items;
import static io.kube4j.apiserver.validation.Errors.key;
import static io.kube4j.apiserver.validation.Errors.object;
import static io.kube4j.apiserver.validation.Errors.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The smaller types: ConfigMap, Secret, Namespace, Node, Lease, endpoints, RBAC, Ingress, HPA, PDB, ... */
final class OtherValidation {
    static final int MAX_SECRET_SIZE = 1024 * 1024;
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    private static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;
    private static final Map<String, Long> SYSTEM_PRIORITY_CLASSES = Map.of(
            "system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);

    private OtherValidation() {
    }

    static void configMap(Errors errors, JsonNode configMap) {
        long size = 0;
        JsonNode binary = object(configMap, "binaryData");
        for (Map.Entry<String, JsonNode> entry : object(configMap, "data").properties()) {
            String at = key("data", entry.getKey());
            errors.check(at, entry.getKey(), NameValidation::configMapKey);
            if (binary.has(entry.getKey())) {
                errors.invalid(at, entry.getKey(), "duplicate of key present in binaryData");
            }
            size += entry.getValue().asText().length();
        }
        for (Map.Entry<String, JsonNode> entry : binary.properties()) {
            errors.check(key("binaryData", entry.getKey()), entry.getKey(), NameValidation::configMapKey);
            size += decodedLength(entry.getValue().asText());
        }
        if (size > MAX_SECRET_SIZE) {
            errors.tooLong("", MAX_SECRET_SIZE);
        }
    }

    static void secret(Errors errors, JsonNode secret) {
        long size = 0;
        JsonNode data = object(secret, "data");
        for (Map.Entry<String, JsonNode> entry : data.properties()) {
            errors.check(key("data", entry.getKey()), entry.getKey(), NameValidation::configMapKey);
            size += decodedLength(entry.getValue().asText());
        }
        if (size > MAX_SECRET_SIZE) {
            errors.tooLong("data", MAX_SECRET_SIZE);
        }
        switch (text(secret, "type")) {
            case "kubernetes.io/service-account-token" -> {
                if (text(object(object(secret, "metadata"), "annotations"), "kubernetes.io/service-account.name")
                        .isEmpty()) {
                    errors.required("metadata.annotations[kubernetes.io/service-account.name]");
                }
            }
            case "kubernetes.io/dockercfg" -> requireJson(errors, data, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> requireJson(errors, data, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                if (!data.has("username") && !data.has("password")) {
                    errors.required("data[username]");
                    errors.required("data[password]");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (text(data, "ssh-privatekey").isEmpty()) {
                    errors.required("data[ssh-privatekey]");
                }
            }
            case "kubernetes.io/tls" -> {
                if (!data.has("tls.crt")) {
                    errors.required("data[tls.crt]");
                }
                if (!data.has("tls.key")) {
                    errors.required("data[tls.key]");
                }
            }
            default -> {
            }
        }
    }

    private static void requireJson(Errors errors, JsonNode data, String key) {
        if (!data.has(key)) {
            errors.required(key("data", key));
            return;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(data.get(key).asText());
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
        } catch (Exception e) {
            errors.invalid(key("data", key), "<secret contents redacted>", "invalid character in JSON");
        }
    }

    private static long decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }

    /** ConfigMaps and Secrets marked immutable keep their data, and stay immutable. */
    static void immutableData(Errors errors, JsonNode object, JsonNode old, List<String> fields) {
        if (!old.path("immutable").asBoolean(false)) {
            return;
        }
        if (!object.path("immutable").asBoolean(false)) {
            errors.forbidden("immutable", "field is immutable when `immutable` is set");
        }
        for (String field : fields) {
            if (!object(object, field).equals(object(old, field))) {
                errors.forbidden(field, "field is immutable when `immutable` is set");
            }
        }
    }

    static void namespace(Errors errors, JsonNode namespace) {
        List<JsonNode> finalizers = items(object(namespace, "spec"), "finalizers");
        for (JsonNode finalizer : finalizers) {
            String name = finalizer.asText();
            if (!name.contains("/")) {
                if (!name.equals("kubernetes")) {
                    errors.invalid("spec.finalizers", name,
                            "name is neither a standard finalizer name nor is it fully qualified");
                }
            } else {
                errors.check("spec.finalizers", name, NameValidation::qualifiedName);
            }
        }
    }

    static void node(Errors errors, JsonNode node) {
        List<JsonNode> taints = items(object(node, "spec"), "taints");
        List<String> effects = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            JsonNode taint = taints.get(i);
            String at = index("spec.taints", i);
            errors.check(at + ".key", text(taint, "key"), NameValidation::qualifiedName);
            errors.check(at + ".value", text(taint, "value"), NameValidation::labelValue);
            String effect = text(taint, "effect");
            if (effect.isEmpty()) {
                errors.required(at + ".effect");
            } else if (!effects.contains(effect)) {
                errors.notSupported(at + ".effect", taint.get("effect"), effects);
            }
            if (!seen.add(text(taint, "key") + "/" + effect)) {
                errors.duplicate(at, taint);
            }
        }
    }

    /** A node's pod CIDRs and provider ID are set once, by whoever allocates them. */
    static void nodeUpdate(Errors errors, JsonNode node, JsonNode old) {
        JsonNode spec = object(node, "spec");
        JsonNode oldSpec = object(old, "spec");
        List<JsonNode> oldCidrs = items(oldSpec, "podCIDRs");
        if (!oldCidrs.isEmpty() && !oldCidrs.equals(items(spec, "podCIDRs"))) {
            errors.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid");
        }
        String providerId = text(oldSpec, "providerID");
        if (!providerId.isEmpty() && !providerId.equals(text(spec, "providerID"))) {
            errors.forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid");
        }
    }

    static void lease(Errors errors, JsonNode lease) {
        JsonNode spec = object(lease, "spec");
        JsonNode duration = spec.get("leaseDurationSeconds");
        if (duration != null && duration.isNumber() && duration.asLong() <= 0) {
            errors.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        }
        errors.nonNegative("spec.leaseTransitions", spec.get("leaseTransitions"));
    }

    static void endpoints(Errors errors, JsonNode endpoints) {
        List<JsonNode> subsets = items(endpoints, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            JsonNode subset = subsets.get(i);
            String at = index("subsets", i);
            if (items(subset, "addresses").isEmpty() && items(subset, "notReadyAddresses").isEmpty()) {
                errors.required(at, "must specify `addresses` or `notReadyAddresses`");
            }
            for (String field : List.of("addresses", "notReadyAddresses")) {
                List<JsonNode> addresses = items(subset, field);
                for (int j = 0; j < addresses.size(); j++) {
                    String ip = text(addresses.get(j), "ip");
                    if (!IpAddresses.isIp(ip)) {
                        errors.invalid(index(at + "." + field, j) + ".ip", ip,
                                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
                    }
                }
            }
            ports(errors, items(subset, "ports"), at + ".ports");
        }
    }

    static void endpointSlice(Errors errors, JsonNode slice) {
        List<String> types = List.of("IPv4", "IPv6", "FQDN");
        String type = text(slice, "addressType");
        if (type.isEmpty()) {
            errors.required("addressType");
        } else if (!types.contains(type)) {
            errors.notSupported("addressType", slice.get("addressType"), types);
        }
        List<JsonNode> endpoints = items(slice, "endpoints");
        if (endpoints.size() > 1000) {
            errors.tooMany("endpoints", endpoints.size(), 1000);
        }
        for (int i = 0; i < endpoints.size(); i++) {
            List<JsonNode> addresses = items(endpoints.get(i), "addresses");
            String at = index("endpoints", i) + ".addresses";
            if (addresses.isEmpty()) {
                errors.required(at, "must contain at least 1 address");
            } else if (addresses.size() > 100) {
                errors.tooMany(at, addresses.size(), 100);
            }
        }
        ports(errors, items(slice, "ports"), "ports");
    }

    private static void ports(Errors errors, List<JsonNode> ports, String path) {
        List<String> protocols = List.of("SCTP", "TCP", "UDP");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = index(path, i);
            String name = text(port, "name");
            if (ports.size() > 1 && name.isEmpty() && path.startsWith("subsets")) {
                errors.required(at + ".name");
            } else if (!name.isEmpty()) {
                errors.check(at + ".name", name, NameValidation::dns1123Label);
                if (!names.add(name)) {
                    errors.duplicate(at + ".name", port.get("name"));
                }
            }
            if (has(port, "port") || path.startsWith("subsets")) {
                long number = port.path("port").asLong(0);
                NameValidation.portNumber(number).forEach(msg -> errors.invalid(at + ".port", number, msg));
            }
            String protocol = text(port, "protocol");
            if (protocol.isEmpty()) {
                errors.required(at + ".protocol");
            } else if (!protocols.contains(protocol)) {
                errors.notSupported(at + ".protocol", port.get("protocol"), protocols);
            }
        }
    }

    static void role(Errors errors, JsonNode role, boolean namespaced) {
        List<JsonNode> rules = items(role, "rules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String at = index("rules", i);
            if (items(rule, "verbs").isEmpty()) {
                errors.required(at + ".verbs", "verbs must contain at least one value");
            }
            if (!items(rule, "nonResourceURLs").isEmpty()) {
                if (namespaced) {
                    errors.invalid(at + ".nonResourceURLs", rule.get("nonResourceURLs"),
                            "namespaced rules cannot apply to non-resource URLs");
                }
                if (!items(rule, "apiGroups").isEmpty() || !items(rule, "resources").isEmpty()
                        || !items(rule, "resourceNames").isEmpty()) {
                    errors.invalid(at + ".nonResourceURLs", rule.get("nonResourceURLs"),
                            "rules cannot apply to both regular resources and non-resource URLs");
                }
                continue;
            }
            if (items(rule, "apiGroups").isEmpty()) {
                errors.required(at + ".apiGroups", "resource rules must supply at least one api group");
            }
            if (items(rule, "resources").isEmpty()) {
                errors.required(at + ".resources", "resource rules must supply at least one resource");
            }
        }
    }

    static void roleBinding(Errors errors, JsonNode binding, boolean namespaced) {
        JsonNode ref = object(binding, "roleRef");
        if (!text(ref, "apiGroup").equals(RBAC_GROUP)) {
            errors.notSupported("roleRef.apiGroup", Errors.stringValue(ref, "apiGroup"), List.of(RBAC_GROUP));
        }
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(text(ref, "kind"))) {
            errors.notSupported("roleRef.kind", Errors.stringValue(ref, "kind"), kinds);
        }
        String name = text(ref, "name");
        if (name.isEmpty()) {
            errors.required("roleRef.name");
        } else {
            errors.check("roleRef.name", name, NameValidation::pathSegmentName);
        }
        List<JsonNode> subjects = items(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            JsonNode subject = subjects.get(i);
            String at = index("subjects", i);
            if (text(subject, "name").isEmpty()) {
                errors.required(at + ".name");
            }
            switch (text(subject, "kind")) {
                case "ServiceAccount" -> {
                    if (!text(subject, "apiGroup").isEmpty()) {
                        errors.notSupported(at + ".apiGroup", subject.get("apiGroup"), List.of(""));
                    }
                    if (!namespaced && text(subject, "namespace").isEmpty()) {
                        errors.required(at + ".namespace");
                    }
                }
                case "User", "Group" -> {
                    if (!text(subject, "apiGroup").equals(RBAC_GROUP)) {
                        errors.notSupported(at + ".apiGroup", Errors.stringValue(subject, "apiGroup"),
                                List.of(RBAC_GROUP));
                    }
                }
                default -> errors.notSupported(at + ".kind", Errors.stringValue(subject, "kind"),
                        List.of("ServiceAccount", "User", "Group"));
            }
        }
    }

    static void roleBindingUpdate(Errors errors, JsonNode binding, JsonNode old) {
        if (!object(binding, "roleRef").equals(object(old, "roleRef"))) {
            errors.invalid("roleRef", object(binding, "roleRef"), "cannot change roleRef");
        }
    }

    static void ingress(Errors errors, JsonNode ingress) {
        List<String> pathTypes = List.of("Exact", "ImplementationSpecific", "Prefix");
        List<JsonNode> rules = items(object(ingress, "spec"), "rules");
        for (int i = 0; i < rules.size(); i++) {
            List<JsonNode> paths = items(object(rules.get(i), "http"), "paths");
            for (int j = 0; j < paths.size(); j++) {
                JsonNode path = paths.get(j);
                String at = index(index("spec.rules", i) + ".http.paths", j);
                String type = text(path, "pathType");
                if (type.isEmpty()) {
                    errors.required(at + ".pathType", "pathType must be specified");
                } else if (!pathTypes.contains(type)) {
                    errors.notSupported(at + ".pathType", path.get("pathType"), pathTypes);
                }
                // Exact and Prefix paths must be absolute; an ImplementationSpecific one only when given.
                String value = text(path, "path");
                boolean mustBeAbsolute = type.equals("Exact") || type.equals("Prefix") || !value.isEmpty();
                if (mustBeAbsolute && !value.startsWith("/")) {
                    errors.invalid(at + ".path", value, "must be an absolute path");
                }
            }
        }
    }

    static void horizontalPodAutoscaler(Errors errors, JsonNode hpa) {
        JsonNode spec = object(hpa, "spec");
        JsonNode target = object(spec, "scaleTargetRef");
        if (text(target, "kind").isEmpty()) {
            errors.required("spec.scaleTargetRef.kind");
        }
        if (text(target, "name").isEmpty()) {
            errors.required("spec.scaleTargetRef.name");
        } else {
            errors.check("spec.scaleTargetRef.name", text(target, "name"), NameValidation::pathSegmentName);
        }
        JsonNode min = spec.get("minReplicas");
        if (min != null && min.isNumber() && min.asLong() < 1) {
            errors.invalid("spec.minReplicas", min, "must be greater than or equal to 1");
        }
        long max = spec.path("maxReplicas").asLong(0);
        if (max < 1) {
            errors.invalid("spec.maxReplicas", max, "must be greater than 0");
        }
        if (min != null && min.isNumber() && max < min.asLong()) {
            errors.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
        }
    }

    static void podDisruptionBudget(Errors errors, JsonNode pdb) {
        JsonNode spec = object(pdb, "spec");
        if (has(spec, "minAvailable") && has(spec, "maxUnavailable")) {
            errors.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set");
        }
        MetaValidation.labelSelector(errors, spec.get("selector"), "spec.selector");
    }

    static void priorityClass(Errors errors, JsonNode priorityClass) {
        String name = text(object(priorityClass, "metadata"), "name");
        long value = priorityClass.path("value").asLong(0);
        if (name.startsWith("system-")) {
            Long known = SYSTEM_PRIORITY_CLASSES.get(name);
            if (known == null) {
                errors.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for "
                        + "system use only. error: " + name + " is not a known system priority class");
            } else if (known != value) {
                errors.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for "
                        + "system use only. error: value of " + name + " PriorityClass must be " + known);
            }
        } else if (value > HIGHEST_USER_PRIORITY) {
            errors.forbidden("value", "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY);
        }
        String policy = text(priorityClass, "preemptionPolicy");
        List<String> policies = List.of("Never", "PreemptLowerPriority");
        if (!policy.isEmpty() && !policies.contains(policy)) {
            errors.notSupported("preemptionPolicy", priorityClass.get("preemptionPolicy"), policies);
        }
    }

    static void priorityClassUpdate(Errors errors, JsonNode priorityClass, JsonNode old) {
        if (priorityClass.path("value").asLong(0) != old.path("value").asLong(0)) {
            errors.forbidden("value", "may not be changed in an update.");
        }
        errors.immutable("preemptionPolicy", priorityClass.get("preemptionPolicy"), old.get("preemptionPolicy"));
    }

    static void event(Errors errors, JsonNode event) {
        String namespace = text(object(event, "metadata"), "namespace");
        String involved = text(object(event, "involvedObject"), "namespace");
        if (!involved.isEmpty() && !involved.equals(namespace)) {
            errors.invalid("involvedObject.namespace", involved, "does not match event.namespace");
        }
    }
}
