package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.has;
import static io.kube4j.apiserver.validation.Errors.index;
import static io.kube4j.apiserver.validation.Errors.items;
import static io.kube4j.apiserver.validation.Errors.key;
import static io.kube4j.apiserver.validation.Errors.object;
import static io.kube4j.apiserver.validation.Errors.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Pods and pod templates (core validation's ValidatePodSpec, ValidatePodTemplateSpec, ValidatePodUpdate). */
final class PodValidation {
    // Lists in kube's order: it quotes some as declared and some sorted, and kubectl shows them as they come.
    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
            "None");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
            "storageos", "csi", "ephemeral", "image");
    private static final List<String> UPDATABLE = List.of("`spec.containers[*].image`",
            "`spec.initContainers[*].image`", "`spec.activeDeadlineSeconds`",
            "`spec.tolerations` (only additions to existing tolerations)",
            "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
    private static final long MAX_INT32 = Integer.MAX_VALUE;

    private PodValidation() {
    }

    static void pod(Errors errors, JsonNode pod) {
        spec(errors, object(pod, "spec"), "spec");
    }

    /** A PodTemplateSpec inside a workload: its labels and annotations, and its spec. */
    static void template(Errors errors, JsonNode template, String path) {
        JsonNode meta = object(template, "metadata");
        MetaValidation.labels(errors, meta.get("labels"), path + ".metadata.labels");
        MetaValidation.annotations(errors, meta.get("annotations"), path + ".metadata.annotations");
        JsonNode spec = object(template, "spec");
        spec(errors, spec, path + ".spec");
        if (!items(spec, "ephemeralContainers").isEmpty()) {
            errors.forbidden(path + ".spec.ephemeralContainers", "ephemeral containers not allowed in pod template");
        }
    }

    static void spec(Errors errors, JsonNode spec, String path) {
        Set<String> volumes = volumes(errors, spec, path + ".volumes");
        Set<String> names = new HashSet<>();
        List<JsonNode> containers = items(spec, "containers");
        if (containers.isEmpty()) {
            errors.required(path + ".containers");
        }
        containers(errors, items(spec, "initContainers"), path + ".initContainers", names, volumes);
        containers(errors, containers, path + ".containers", names, volumes);
        restartPolicy(errors, spec, path);
        String dnsPolicy = text(spec, "dnsPolicy");
        if (dnsPolicy.isEmpty()) {
            errors.required(path + ".dnsPolicy");
        } else if (!DNS_POLICIES.contains(dnsPolicy)) {
            errors.notSupported(path + ".dnsPolicy", spec.get("dnsPolicy"), DNS_POLICIES);
        } else if (dnsPolicy.equals("None") && items(object(spec, "dnsConfig"), "nameservers").isEmpty()) {
            errors.required(path + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None");
        }
        MetaValidation.labels(errors, spec.get("nodeSelector"), path + ".nodeSelector");
        if (has(spec, "activeDeadlineSeconds")) {
            long value = spec.get("activeDeadlineSeconds").asLong();
            if (value < 1 || value > MAX_INT32) {
                errors.invalid(path + ".activeDeadlineSeconds", value, NameValidation.inclusiveRange(1, MAX_INT32));
            }
        }
        for (String field : List.of("hostname", "subdomain")) {
            if (!text(spec, field).isEmpty()) {
                errors.check(path + "." + field, text(spec, field), NameValidation::dns1123Label);
            }
        }
        for (String field : List.of("serviceAccountName", "priorityClassName", "nodeName")) {
            if (!text(spec, field).isEmpty()) {
                errors.check(path + "." + field, text(spec, field), NameValidation::dns1123Subdomain);
            }
        }
        tolerations(errors, items(spec, "tolerations"), path + ".tolerations");
    }

    private static void restartPolicy(Errors errors, JsonNode spec, String path) {
        String policy = text(spec, "restartPolicy");
        if (policy.isEmpty()) {
            errors.required(path + ".restartPolicy");
        } else if (!RESTART_POLICIES.contains(policy)) {
            errors.notSupported(path + ".restartPolicy", spec.get("restartPolicy"), RESTART_POLICIES);
        }
    }

    private static Set<String> volumes(Errors errors, JsonNode spec, String path) {
        Set<String> names = new HashSet<>();
        List<JsonNode> volumes = items(spec, "volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode volume = volumes.get(i);
            String at = index(path, i);
            List<String> sources = VOLUME_SOURCES.stream().filter(s -> has(volume, s)).toList();
            if (sources.isEmpty()) {
                errors.required(at, "must specify a volume type");
            }
            for (String extra : sources.stream().skip(1).toList()) {
                errors.forbidden(at + "." + extra, "may not specify more than 1 volume type");
            }
            String name = text(volume, "name");
            if (name.isEmpty()) {
                errors.required(at + ".name");
            } else {
                errors.check(at + ".name", name, NameValidation::dns1123Label);
            }
            if (!names.add(name) && !name.isEmpty()) {
                errors.duplicate(at + ".name", volume.get("name"));
            }
            volumeSource(errors, volume, at);
        }
        return names;
    }

    private static void volumeSource(Errors errors, JsonNode volume, String at) {
        requiredText(errors, volume, "configMap", "name", at);
        requiredText(errors, volume, "secret", "secretName", at);
        requiredText(errors, volume, "persistentVolumeClaim", "claimName", at);
        requiredText(errors, volume, "hostPath", "path", at);
        for (String source : List.of("configMap", "secret", "projected", "downwardAPI")) {
            JsonNode mode = object(volume, source).get("defaultMode");
            if (mode != null && mode.isNumber() && (mode.asLong() < 0 || mode.asLong() > 0777)) {
                errors.invalid(at + "." + source + ".defaultMode", mode,
                        "must be a number between 0 and 0777 (octal), both inclusive");
            }
        }
    }

    private static void requiredText(Errors errors, JsonNode volume, String source, String field, String at) {
        if (has(volume, source) && text(volume.get(source), field).isEmpty()) {
            errors.required(at + "." + source + "." + field);
        }
    }

    private static void containers(Errors errors, List<JsonNode> containers, String path, Set<String> names,
                                   Set<String> volumes) {
        for (int i = 0; i < containers.size(); i++) {
            JsonNode container = containers.get(i);
            String at = index(path, i);
            String name = text(container, "name");
            if (name.isEmpty()) {
                errors.required(at + ".name");
            } else {
                errors.check(at + ".name", name, NameValidation::dns1123Label);
                if (!names.add(name)) {
                    errors.duplicate(at + ".name", container.get("name"));
                }
            }
            String image = text(container, "image");
            if (image.isEmpty()) {
                errors.required(at + ".image");
            } else if (!image.equals(image.strip())) {
                errors.invalid(at + ".image", image, "must not have leading or trailing whitespace");
            }
            supported(errors, container, "imagePullPolicy", at, PULL_POLICIES);
            supported(errors, container, "terminationMessagePolicy", at, MESSAGE_POLICIES);
            ports(errors, items(container, "ports"), at + ".ports");
            env(errors, items(container, "env"), at + ".env");
            volumeMounts(errors, items(container, "volumeMounts"), at + ".volumeMounts", volumes);
            resources(errors, object(container, "resources"), at + ".resources");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                probe(errors, container.get(probe), at + "." + probe);
            }
            for (String probe : List.of("livenessProbe", "startupProbe")) {
                JsonNode threshold = container.path(probe).get("successThreshold");
                if (threshold != null && threshold.isNumber() && threshold.asLong() != 1) {
                    errors.invalid(at + "." + probe + ".successThreshold", threshold, "must be 1");
                }
            }
        }
    }

    private static void supported(Errors errors, JsonNode node, String field, String at, List<String> values) {
        String value = text(node, field);
        if (value.isEmpty()) {
            errors.required(at + "." + field);
        } else if (!values.contains(value)) {
            errors.notSupported(at + "." + field, node.get(field), values);
        }
    }

    private static void ports(Errors errors, List<JsonNode> ports, String path) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = index(path, i);
            String name = text(port, "name");
            if (!name.isEmpty()) {
                List<String> messages = NameValidation.portName(name);
                messages.forEach(msg -> errors.invalid(at + ".name", name, msg));
                if (messages.isEmpty() && !names.add(name)) {
                    errors.duplicate(at + ".name", port.get("name"));
                }
            }
            long containerPort = port.path("containerPort").asLong(0);
            if (containerPort == 0) {
                errors.required(at + ".containerPort");
            } else {
                NameValidation.portNumber(containerPort).forEach(m -> errors.invalid(at + ".containerPort",
                        containerPort, m));
            }
            long hostPort = port.path("hostPort").asLong(0);
            if (hostPort != 0) {
                NameValidation.portNumber(hostPort).forEach(m -> errors.invalid(at + ".hostPort", hostPort, m));
            }
            supported(errors, port, "protocol", at, PROTOCOLS);
        }
    }

    private static void env(Errors errors, List<JsonNode> env, String path) {
        for (int i = 0; i < env.size(); i++) {
            String at = index(path, i) + ".name";
            String name = text(env.get(i), "name");
            if (name.isEmpty()) {
                errors.required(at);
            } else if (name.chars().anyMatch(c -> c < 32 || c > 126 || c == '=')) {
                errors.invalid(at, name, "a valid environment variable name must consist only of printable ASCII "
                        + "characters other than '='");
            }
        }
    }

    private static void volumeMounts(Errors errors, List<JsonNode> mounts, String path, Set<String> volumes) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            String at = index(path, i);
            String name = text(mount, "name");
            if (name.isEmpty()) {
                errors.required(at + ".name");
            } else if (!volumes.contains(name)) {
                errors.notFound(at + ".name", mount.get("name"));
            }
            String mountPath = text(mount, "mountPath");
            if (mountPath.isEmpty()) {
                errors.required(at + ".mountPath");
            } else if (!paths.add(mountPath)) {
                errors.invalid(at + ".mountPath", mountPath, "must be unique");
            }
        }
    }

    private static void resources(Errors errors, JsonNode resources, String path) {
        Map<String, BigDecimal> limits = quantities(errors, object(resources, "limits"), path + ".limits");
        Map<String, BigDecimal> requests = quantities(errors, object(resources, "requests"), path + ".requests");
        for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
            BigDecimal limit = limits.get(request.getKey());
            if (limit != null && request.getValue().compareTo(limit) > 0) {
                errors.invalid(path + ".requests", object(resources, "requests").get(request.getKey()).asText(),
                        "must be less than or equal to " + request.getKey() + " limit of "
                                + object(resources, "limits").get(request.getKey()).asText());
            }
        }
    }

    private static Map<String, BigDecimal> quantities(Errors errors, ObjectNode list, String path) {
        Map<String, BigDecimal> values = new java.util.HashMap<>();
        for (Map.Entry<String, JsonNode> entry : list.properties()) {
            String at = key(path, entry.getKey());
            String text = entry.getValue().asText();
            Optional<BigDecimal> value = Quantity.parse(text);
            if (value.isEmpty()) {
                errors.invalid(at, text, "quantities must match the regular expression '" + Quantity.FORMAT + "'");
            } else if (value.get().signum() < 0) {
                errors.invalid(at, text, "must be greater than or equal to 0");
            } else {
                values.put(entry.getKey(), value.get());
            }
        }
        return values;
    }

    private static void probe(Errors errors, JsonNode probe, String path) {
        if (probe == null || !probe.isObject()) {
            return;
        }
        int handlers = 0;
        for (String handler : List.of("exec", "httpGet", "tcpSocket", "grpc")) {
            if (has(probe, handler)) {
                handlers++;
                if (handlers > 1) {
                    errors.forbidden(path + "." + handler, "may not specify more than 1 handler type");
                }
            }
        }
        if (handlers == 0) {
            errors.required(path, "must specify a handler type");
        }
        for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold")) {
            errors.nonNegative(path + "." + field, probe.get(field));
        }
    }

    private static void tolerations(Errors errors, List<JsonNode> tolerations, String path) {
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode toleration = tolerations.get(i);
            String at = index(path, i);
            String key = text(toleration, "key");
            String operator = text(toleration, "operator");
            String effect = text(toleration, "effect");
            if (!key.isEmpty()) {
                errors.check(at + ".key", key, NameValidation::qualifiedName);
            }
            if (key.isEmpty() && !operator.equals("Exists")) {
                errors.invalid(at + ".operator", operator,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (has(toleration, "tolerationSeconds") && !effect.equals("NoExecute")) {
                errors.invalid(at + ".effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            switch (operator) {
                case "Equal", "" -> {
                    List<String> messages = NameValidation.labelValue(text(toleration, "value"));
                    if (!messages.isEmpty()) {
                        errors.invalid(at + ".operator", text(toleration, "value"), String.join(";", messages));
                    }
                }
                case "Exists" -> {
                    if (!text(toleration, "value").isEmpty()) {
                        errors.invalid(at + ".operator", toleration, "value must be empty when `operator` is 'Exists'");
                    }
                }
                default -> errors.notSupported(at + ".operator", toleration.get("operator"),
                        List.of("Equal", "Exists"));
            }
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errors.notSupported(at + ".effect", toleration.get("effect"), TAINT_EFFECTS);
            }
        }
    }

    /** ValidatePodUpdate: the spec may change only in the few ways kube allows. */
    static void podUpdate(Errors errors, JsonNode pod, JsonNode old) {
        ObjectNode spec = object(pod, "spec");
        ObjectNode oldSpec = object(old, "spec");
        JsonNode deadline = spec.get("activeDeadlineSeconds");
        JsonNode oldDeadline = oldSpec.get("activeDeadlineSeconds");
        if (deadline != null && !deadline.isNull()) {
            long value = deadline.asLong();
            if (value < 0 || value > MAX_INT32) {
                errors.invalid("spec.activeDeadlineSeconds", value, NameValidation.inclusiveRange(0, MAX_INT32));
                return;
            }
            if (oldDeadline != null && !oldDeadline.isNull() && oldDeadline.asLong() < value) {
                errors.invalid("spec.activeDeadlineSeconds", value, "must be less than or equal to previous value");
                return;
            }
        } else if (oldDeadline != null && !oldDeadline.isNull()) {
            errors.invalid("spec.activeDeadlineSeconds", JsonNodeFactory.instance.nullNode(),
                    "must not update from a positive integer to nil value");
        }
        ObjectNode munged = spec.deepCopy();
        mungeImages(munged, oldSpec, "containers");
        mungeImages(munged, oldSpec, "initContainers");
        copy(munged, oldSpec, "activeDeadlineSeconds");
        if (onlyAddedTolerations(errors, items(spec, "tolerations"), items(oldSpec, "tolerations"))) {
            copy(munged, oldSpec, "tolerations");
        }
        if (oldSpec.path("terminationGracePeriodSeconds").asLong(0) < 0
                && spec.path("terminationGracePeriodSeconds").asLong(0) == 1) {
            copy(munged, oldSpec, "terminationGracePeriodSeconds");
        }
        if (onlyRemovedSchedulingGates(errors, items(spec, "schedulingGates"), items(oldSpec, "schedulingGates"))) {
            copy(munged, oldSpec, "schedulingGates");
        }
        if (!normalized(munged).equals(normalized(oldSpec))) {
            errors.forbidden("spec", "pod updates may not change fields other than " + String.join(",", UPDATABLE)
                    + "\n" + difference(munged, oldSpec));
        }
    }

    private static void mungeImages(ObjectNode munged, ObjectNode oldSpec, String field) {
        List<JsonNode> containers = items(munged, field);
        List<JsonNode> oldContainers = items(oldSpec, field);
        if (containers.size() != oldContainers.size()) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) instanceof ObjectNode container && oldContainers.get(i).has("image")) {
                container.set("image", oldContainers.get(i).get("image"));
            }
        }
    }

    private static void copy(ObjectNode target, ObjectNode source, String field) {
        if (source.has(field)) {
            target.set(field, source.get(field));
        } else {
            target.remove(field);
        }
    }

    private static boolean onlyAddedTolerations(Errors errors, List<JsonNode> tolerations, List<JsonNode> old) {
        for (JsonNode existing : old) {
            JsonNode withoutSeconds = withoutSeconds(existing);
            boolean kept = tolerations.stream().anyMatch(t -> withoutSeconds(t).equals(withoutSeconds));
            if (!kept) {
                errors.forbidden("spec.tolerations", "existing toleration can not be modified except its "
                        + "tolerationSeconds");
                return false;
            }
        }
        return true;
    }

    private static JsonNode withoutSeconds(JsonNode toleration) {
        return toleration instanceof ObjectNode object ? object.deepCopy().without("tolerationSeconds") : toleration;
    }

    private static boolean onlyRemovedSchedulingGates(Errors errors, List<JsonNode> gates, List<JsonNode> old) {
        Set<String> before = new HashSet<>();
        old.forEach(gate -> before.add(text(gate, "name")));
        for (JsonNode gate : gates) {
            if (!before.contains(text(gate, "name"))) {
                errors.forbidden("spec.schedulingGates",
                        "only deletion is allowed, but found new scheduling gate '" + text(gate, "name") + "'");
                return false;
            }
        }
        return true;
    }

    /** Compares specs the way Go's semantic equality would: an empty list or object is the same as none. */
    private static JsonNode normalized(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                JsonNode value = entry.getValue();
                if (value.isNull() || (value.isArray() && value.isEmpty())) {
                    continue;
                }
                out.set(entry.getKey(), normalized(value));
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(item -> out.add(normalized(item)));
            return out;
        }
        return node;
    }

    /** Our own short account of what changed, where kube prints a Go diff of the two specs. */
    private static String difference(JsonNode spec, JsonNode old) {
        Set<String> fields = new TreeSet<>();
        Iterator<String> names = spec.fieldNames();
        names.forEachRemaining(fields::add);
        old.fieldNames().forEachRemaining(fields::add);
        List<String> changed = new ArrayList<>();
        for (String field : fields) {
            if (!Errors.orNull(normalized(spec).get(field)).equals(Errors.orNull(normalized(old).get(field)))) {
                changed.add("spec." + field);
            }
        }
        return "  changed: " + String.join(", ", changed);
    }
}
