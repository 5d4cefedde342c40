package io.kube4j.admission.resourcequota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.resource.ResourceType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kube-apiserver's {@code ResourceQuota} plugin, on creation. For every ResourceQuota of the namespace
 * that limits something the new object uses (its count, {@code pods}, {@code services},
 * {@code count/<resource>.<group>}, a pod's requests and limits), the quota's {@code status.used}
 * plus the new object's use must stay within {@code status.hard}, else the write is forbidden:
 * {@code exceeded quota: <name>, requested: pods=1, used: pods=2, limited: pods=2}. A quota whose
 * status the controller has not written yet refuses ({@code status unknown for quota}), and a quota
 * on compute resources refuses pods whose containers do not say them ({@code must specify}).
 *
 * <p>Unlike upstream, which also writes the new usage into the quota's status before admitting, this
 * plugin does no I/O: creates racing within the moment before the {@code resourcequota} controller
 * recounts may together go past a quota.
 */
final class ResourceQuotaPlugin implements ValidatingAdmissionPlugin {
    private static final Set<String> LEGACY_COUNTS = Set.of("pods", "services", "configmaps", "secrets",
            "replicationcontrollers", "resourcequotas", "persistentvolumeclaims");
    private static final List<String> BARE_REQUESTS = List.of("cpu", "memory", "ephemeral-storage");

    private final ClusterView cluster;

    ResourceQuotaPlugin(ClusterView cluster) {
        this.cluster = requireNonNull(cluster, "cluster is null");
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (request.namespace().isEmpty() || !request.subresource().isEmpty() || request.object().isEmpty() || request.dryRun()) {
            return AdmissionResponse.allow();
        }
        List<ObjectNode> quotas = cluster.list("", "resourcequotas", request.namespace());
        if (quotas.isEmpty()) {
            return AdmissionResponse.allow();
        }
        ObjectNode object = request.object().get();
        boolean pod = isPods(request.resource());
        for (ObjectNode quota : quotas) {
            JsonNode hard = quota.path("spec").path("hard");
            if (pod && !inScopes(object, quota.path("spec").path("scopes"))) {
                continue;
            }
            Map<String, BigDecimal> requested = new TreeMap<>();
            for (Iterator<String> names = hard.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                BigDecimal use = usage(request.resource(), object, name);
                if (use.signum() > 0) {
                    requested.put(name, use);
                }
            }
            String quotaName = quota.path("metadata").path("name").asText();
            if (pod) {
                String missing = missingCompute(object, hard);
                if (!missing.isEmpty()) {
                    return forbidden(request, "failed quota: " + quotaName + ": must specify " + missing);
                }
            }
            if (requested.isEmpty()) {
                continue;
            }
            JsonNode statusHard = quota.path("status").path("hard");
            Set<String> unknown = new TreeSet<>();
            for (String name : requested.keySet()) {
                if (!statusHard.has(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                return forbidden(request, "status unknown for quota: " + quotaName + ", resources: " + String.join(",", unknown));
            }
            JsonNode used = quota.path("status").path("used");
            List<String> failedRequested = new ArrayList<>();
            List<String> failedUsed = new ArrayList<>();
            List<String> failedHard = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> e : requested.entrySet()) {
                String name = e.getKey();
                String usedText = used.path(name).asText("0");
                BigDecimal usedAmount = amount(usedText);
                if (usedAmount.add(e.getValue()).compareTo(amount(statusHard.path(name).asText("0"))) > 0) {
                    failedRequested.add(name + "=" + format(name, e.getValue()));
                    failedUsed.add(name + "=" + usedText);
                    failedHard.add(name + "=" + statusHard.path(name).asText());
                }
            }
            if (!failedRequested.isEmpty()) {
                return forbidden(request, "exceeded quota: " + quotaName + ", requested: " + String.join(",", failedRequested)
                        + ", used: " + String.join(",", failedUsed) + ", limited: " + String.join(",", failedHard));
            }
        }
        return AdmissionResponse.allow();
    }

    /** What the new object uses of quota resource {@code name}. */
    static BigDecimal usage(ResourceType type, ObjectNode object, String name) {
        String countName = type.group().isEmpty() ? "count/" + type.plural() : "count/" + type.plural() + "." + type.group();
        if (name.equals(countName) || (type.group().isEmpty() && LEGACY_COUNTS.contains(name) && name.equals(type.plural()))) {
            return BigDecimal.ONE;
        }
        if (type.group().isEmpty() && type.plural().equals("services")) {
            String serviceType = object.path("spec").path("type").asText("ClusterIP");
            boolean nodePorts = serviceType.equals("NodePort") || serviceType.equals("LoadBalancer");
            if (name.equals("services.loadbalancers")) {
                return serviceType.equals("LoadBalancer") ? BigDecimal.ONE : BigDecimal.ZERO;
            }
            if (name.equals("services.nodeports")) {
                return nodePorts ? BigDecimal.valueOf(object.path("spec").path("ports").size()) : BigDecimal.ZERO;
            }
        }
        return isPods(type) ? podCompute(object.path("spec"), name) : BigDecimal.ZERO;
    }

    /** A pod's effective request or limit of {@code requests.X}, {@code limits.X} or a bare {@code cpu}, {@code memory}. */
    private static BigDecimal podCompute(JsonNode spec, String name) {
        String resource;
        boolean limits;
        if (name.startsWith("requests.")) {
            resource = name.substring("requests.".length());
            limits = false;
        } else if (name.startsWith("limits.")) {
            resource = name.substring("limits.".length());
            limits = true;
        } else if (BARE_REQUESTS.contains(name)) {
            resource = name;
            limits = false;
        } else {
            return BigDecimal.ZERO;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode c : spec.path("containers")) {
            sum = sum.add(containerAmount(c, resource, limits));
        }
        for (JsonNode c : spec.path("initContainers")) {
            sum = sum.max(containerAmount(c, resource, limits));
        }
        if (spec.path("overhead").has(resource)) {
            sum = sum.add(amount(spec.path("overhead").path(resource).asText()));
        }
        return sum;
    }

    private static BigDecimal containerAmount(JsonNode container, String resource, boolean limits) {
        JsonNode resources = container.path("resources");
        JsonNode value = limits ? resources.path("limits").path(resource) : resources.path("requests").path(resource);
        if (!limits && value.isMissingNode()) {
            value = resources.path("limits").path(resource);
        }
        return value.isMissingNode() || value.isNull() ? BigDecimal.ZERO : amount(value.asText());
    }

    /** Upstream's container constraint: a quota on a compute resource needs every container to state it. */
    private static String missingCompute(ObjectNode pod, JsonNode hard) {
        List<String> missing = new ArrayList<>();
        for (String name : new TreeSet<>(List.of("limits.cpu", "limits.memory", "requests.cpu", "requests.memory", "cpu", "memory"))) {
            if (!hard.has(name)) {
                continue;
            }
            String resource = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
            boolean limits = name.startsWith("limits.");
            List<String> containers = new ArrayList<>();
            for (JsonNode c : pod.path("spec").path("containers")) {
                JsonNode resources = c.path("resources");
                boolean stated = limits ? resources.path("limits").has(resource)
                        : resources.path("requests").has(resource) || resources.path("limits").has(resource);
                if (!stated) {
                    containers.add(c.path("name").asText());
                }
            }
            if (!containers.isEmpty()) {
                missing.add(name + " for: " + String.join(",", containers));
            }
        }
        return String.join("; ", missing);
    }

    private static boolean inScopes(ObjectNode pod, JsonNode scopes) {
        boolean terminating = pod.path("spec").has("activeDeadlineSeconds");
        boolean bestEffort = true;
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (c.path("resources").path("requests").size() > 0 || c.path("resources").path("limits").size() > 0) {
                    bestEffort = false;
                }
            }
        }
        for (JsonNode scope : scopes) {
            boolean in = switch (scope.asText()) {
                case "Terminating" -> terminating;
                case "NotTerminating" -> !terminating;
                case "BestEffort" -> bestEffort;
                case "NotBestEffort" -> !bestEffort;
                default -> true;
            };
            if (!in) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }

    /** Writes a requested amount: CPU as cores or millicores, counts and bytes plainly or with a binary suffix. */
    private static String format(String name, BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (name.endsWith("cpu") && stripped.scale() > 0) {
            BigDecimal millis = value.movePointRight(3).stripTrailingZeros();
            return millis.scale() <= 0 ? millis.toBigInteger() + "m" : stripped.toPlainString();
        }
        if (stripped.scale() > 0) {
            return stripped.toPlainString();
        }
        java.math.BigInteger v = stripped.toBigInteger();
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti"};
        String best = v.toString();
        java.math.BigInteger unit = java.math.BigInteger.valueOf(1024);
        for (String suffix : suffixes) {
            if (v.signum() == 0 || v.mod(unit).signum() != 0) {
                break;
            }
            best = v.divide(unit) + suffix;
            unit = unit.shiftLeft(10);
        }
        return best;
    }

    private static boolean isPods(ResourceType type) {
        return type.group().isEmpty() && type.plural().equals("pods");
    }

    // kube-apiserver's admission.NewForbidden: '<resource> "<name>" is forbidden: <reason>'.
    private static AdmissionResponse forbidden(AdmissionRequest request, String reason) {
        String name = request.name();
        if (name.isEmpty()) {
            JsonNode metadata = request.object().map(o -> o.path("metadata")).orElse(null);
            name = metadata == null ? "" : metadata.path("name").asText("");
            if (name.isEmpty() && metadata != null) {
                name = metadata.path("generateName").asText("");
            }
        }
        return AdmissionResponse.forbidden(request.resource().qualifiedName() + " \"" + name + "\" is forbidden: " + reason);
    }
}
