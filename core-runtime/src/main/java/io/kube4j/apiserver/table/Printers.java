package io.kube4j.apiserver.table;

import static io.kube4j.apiserver.table.Json.bool;
import static io.kube4j.apiserver.table.Json.has;
import static io.kube4j.apiserver.table.Json.list;
import static io.kube4j.apiserver.table.Json.number;
import static io.kube4j.apiserver.table.Json.orNone;
import static io.kube4j.apiserver.table.Json.size;
import static io.kube4j.apiserver.table.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The column layout and cell values of each built-in type, following what kube-apiserver's printers
 * show, so that {@code kubectl get} output reads the same against kube4j.
 */
final class Printers {
    /** The cells of one row, in column order. */
    interface RowFunction {
        List<Object> cells(JsonNode object, Instant now);
    }

    /** A layout and the function filling it. */
    record Printer(List<Column> columns, RowFunction row) {
        Printer {
            columns = List.copyOf(columns);
        }
    }

    private static final Printer DEFAULT = new Printer(List.of(Column.nameColumn(), Column.ageColumn()),
            (o, now) -> List.of(name(o), age(o, now)));

    private static final Map<String, Printer> BY_GROUP_KIND = new HashMap<>();

    static {
        register("", "Pod", pods());
        register("", "Namespace", new Printer(List.of(Column.nameColumn(),
                Column.string("Status", "The phase of the namespace: Active or Terminating."), Column.ageColumn()),
                (o, now) -> List.of(name(o), text(o, "/status/phase"), age(o, now))));
        register("", "Node", nodes());
        register("", "Service", services());
        register("", "Endpoints", new Printer(List.of(Column.nameColumn(),
                Column.string("Endpoints", "Endpoints of the service: address:port pairs, the first three."),
                Column.ageColumn()), (o, now) -> List.of(name(o), endpoints(o), age(o, now))));
        register("", "ConfigMap", new Printer(List.of(Column.nameColumn(),
                Column.string("Data", "The number of entries in data and binaryData."), Column.ageColumn()),
                (o, now) -> List.of(name(o), (long) (size(o, "/data") + size(o, "/binaryData")), age(o, now))));
        register("", "Secret", new Printer(List.of(Column.nameColumn(),
                Column.string("Type", "The type of the secret's data."),
                Column.string("Data", "The number of entries in data."), Column.ageColumn()),
                (o, now) -> List.of(name(o), text(o, "/type"), (long) size(o, "/data"), age(o, now))));
        register("", "ServiceAccount", new Printer(List.of(Column.nameColumn(),
                Column.string("Secrets", "The number of secrets this service account may use."), Column.ageColumn()),
                (o, now) -> List.of(name(o), (long) size(o, "/secrets"), age(o, now))));
        register("", "Event", events(false));
        register("events.k8s.io", "Event", events(true));
        register("", "ReplicationController", replicaCounts("/spec/selector", false));
        register("", "LimitRange", createdAt());
        register("", "ResourceQuota", resourceQuotas());
        register("", "ComponentStatus", componentStatuses());
        register("apps", "Deployment", deployments());
        register("apps", "ReplicaSet", replicaCounts("/spec/selector", true));
        register("apps", "StatefulSet", statefulSets());
        register("apps", "DaemonSet", daemonSets());
        register("apps", "ControllerRevision", new Printer(List.of(Column.nameColumn(),
                Column.string("Controller", "The controller of this revision (kind.group/name)."),
                Column.integer("Revision", "The revision number."), Column.ageColumn()),
                (o, now) -> List.of(name(o), controllerOf(o), number(o, "/revision"), age(o, now))));
        register("batch", "Job", jobs());
        register("batch", "CronJob", cronJobs());
        register("coordination.k8s.io", "Lease", new Printer(List.of(Column.nameColumn(),
                Column.string("Holder", "The identity of the current holder of the lease."), Column.ageColumn()),
                (o, now) -> List.of(name(o), text(o, "/spec/holderIdentity"), age(o, now))));
        register("discovery.k8s.io", "EndpointSlice", endpointSlices());
        register("networking.k8s.io", "Ingress", ingresses());
        register("autoscaling", "HorizontalPodAutoscaler", hpas());
        register("policy", "PodDisruptionBudget", pdbs());
        register("scheduling.k8s.io", "PriorityClass", priorityClasses());
        register("rbac.authorization.k8s.io", "Role", createdAt());
        register("rbac.authorization.k8s.io", "ClusterRole", createdAt());
        register("rbac.authorization.k8s.io", "RoleBinding", bindings());
        register("rbac.authorization.k8s.io", "ClusterRoleBinding", bindings());
    }

    private Printers() {
    }

    static Printer forGroupKind(String group, String kind) {
        return BY_GROUP_KIND.getOrDefault(group + "/" + kind, DEFAULT);
    }

    private static void register(String group, String kind, Printer printer) {
        BY_GROUP_KIND.put(group + "/" + kind, printer);
    }

    // ---- common cells

    static String name(JsonNode o) {
        return text(o, "/metadata/name");
    }

    /** {@code kind.group/name} of the controlling owner, as kubectl prints a ControllerRevision's; {@code <none>} without. */
    private static String controllerOf(JsonNode o) {
        for (JsonNode ref : o.at("/metadata/ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                String apiVersion = ref.path("apiVersion").asText("");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                return ref.path("kind").asText("").toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group)
                        + "/" + ref.path("name").asText("");
            }
        }
        return "<none>";
    }

    static String age(JsonNode o, Instant now) {
        return HumanDuration.since(text(o, "/metadata/creationTimestamp"), now);
    }

    private static String since(JsonNode o, String pointer, Instant now) {
        return HumanDuration.since(text(o, pointer), now);
    }

    /** Names joined with commas, like kubectl's container and image columns. */
    private static String joined(List<JsonNode> nodes, String pointer) {
        List<String> parts = new ArrayList<>();
        for (JsonNode n : nodes) {
            parts.add(text(n, pointer));
        }
        return String.join(",", parts);
    }

    /** A label map as {@code k=v,k2=v2}, sorted by key, or "&lt;none&gt;". */
    static String labels(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return "<none>";
        }
        Map<String, String> sorted = new TreeMap<>();
        map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** A metav1.LabelSelector in selector syntax: {@code a=b,c in (d,e),!f}; "&lt;none&gt;" when absent. */
    static String selector(JsonNode sel) {
        if (sel.isMissingNode() || sel.isNull()) {
            return "<none>";
        }
        Map<String, String> byKey = new TreeMap<>();
        sel.path("matchLabels").fields().forEachRemaining(e -> byKey.put(e.getKey() + "\0=", e.getKey() + "=" + e.getValue().asText()));
        for (JsonNode expr : sel.path("matchExpressions")) {
            String key = expr.path("key").asText();
            TreeSet<String> values = new TreeSet<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            String op = expr.path("operator").asText();
            String rendered = switch (op) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + op;
            };
            byKey.put(key + "\0" + op, rendered);
        }
        return String.join(",", byKey.values());
    }

    private static List<JsonNode> podTemplateContainers(JsonNode o, String templatePointer) {
        return list(o, templatePointer + "/spec/containers");
    }

    private static Column containersColumn() {
        return Column.wide("Containers", "Names of each container in the template.");
    }

    private static Column imagesColumn() {
        return Column.wide("Images", "Images referenced by each container in the template.");
    }

    private static Column selectorColumn() {
        return Column.wide("Selector", "The label query over pods that should match the replica count.");
    }

    private static Printer createdAt() {
        return new Printer(List.of(Column.nameColumn(), new Column("Created At", "date", "",
                "CreationTimestamp is the time the object was created.", 0)),
                (o, now) -> List.of(name(o), createdAtCell(o)));
    }

    private static String createdAtCell(JsonNode o) {
        String ts = text(o, "/metadata/creationTimestamp");
        try {
            return ts.isEmpty() ? "" : DateTimeFormatter.ISO_INSTANT.format(OffsetDateTime.parse(ts)
                    .withOffsetSameInstant(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return ts;
        }
    }

    // ---- core/v1

    private static Printer pods() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
                Column.string("Status", "The aggregate status of the containers in this pod."),
                Column.string("Restarts", "The number of times the containers in this pod have been restarted "
                        + "and when the last container in this pod has restarted."),
                Column.ageColumn(),
                Column.wide("IP", "IP address allocated to the pod. Routable at least within the cluster."),
                Column.wide("Node", "The node this pod is scheduled onto."),
                Column.wide("Nominated Node", "The node the scheduler nominated for this pod when it preempted others."),
                Column.wide("Readiness Gates", "The pod's readiness gates that are true, out of all of them.")),
                PodStatusPrinter::cells);
    }

    private static Printer nodes() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Status", "The status of the node: Ready, NotReady or Unknown, and SchedulingDisabled."),
                Column.string("Roles", "The roles of the node, from its node-role.kubernetes.io labels."),
                Column.ageColumn(),
                Column.string("Version", "Kubelet version reported by the node."),
                Column.wide("Internal-IP", "The node's first internal IP address."),
                Column.wide("External-IP", "The node's first external IP address."),
                Column.wide("OS-Image", "OS image reported by the node from /etc/os-release."),
                Column.wide("Kernel-Version", "Kernel version reported by the node from 'uname -r'."),
                Column.wide("Container-Runtime", "Container runtime version reported by the node.")),
                (o, now) -> {
                    String ready = "Unknown";
                    for (JsonNode c : list(o, "/status/conditions")) {
                        if (c.path("type").asText().equals("Ready")) {
                            ready = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
                        }
                    }
                    String status = bool(o, "/spec/unschedulable") ? ready + ",SchedulingDisabled" : ready;
                    TreeSet<String> roles = new TreeSet<>();
                    o.path("metadata").path("labels").fields().forEachRemaining(e -> {
                        if (e.getKey().startsWith("node-role.kubernetes.io/")) {
                            String role = e.getKey().substring("node-role.kubernetes.io/".length());
                            if (!role.isEmpty()) {
                                roles.add(role);
                            }
                        } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
                            roles.add(e.getValue().asText());
                        }
                    });
                    return List.of(name(o), status, orNone(String.join(",", roles)), age(o, now),
                            text(o, "/status/nodeInfo/kubeletVersion"),
                            nodeAddress(o, "InternalIP"), nodeAddress(o, "ExternalIP"),
                            orUnknown(text(o, "/status/nodeInfo/osImage")),
                            orUnknown(text(o, "/status/nodeInfo/kernelVersion")),
                            orUnknown(text(o, "/status/nodeInfo/containerRuntimeVersion")));
                });
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }

    private static String nodeAddress(JsonNode o, String type) {
        for (JsonNode a : list(o, "/status/addresses")) {
            if (a.path("type").asText().equals(type)) {
                return a.path("address").asText();
            }
        }
        return "<none>";
    }

    private static Printer services() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
                Column.string("Cluster-IP", "The IP address of the service, allocated by the control plane."),
                Column.string("External-IP", "The IP addresses this service is reachable at from outside the cluster."),
                Column.string("Port(s)", "The ports this service exposes, with their node ports."),
                Column.ageColumn(),
                Column.wide("Selector", "The labels of the pods this service routes traffic to.")),
                (o, now) -> {
                    String type = text(o, "/spec/type");
                    if (type.isEmpty()) {
                        type = "ClusterIP";
                    }
                    List<String> ports = new ArrayList<>();
                    for (JsonNode p : list(o, "/spec/ports")) {
                        String protocol = p.path("protocol").asText("TCP");
                        long nodePort = p.path("nodePort").asLong(0);
                        ports.add(nodePort > 0 ? p.path("port").asLong() + ":" + nodePort + "/" + protocol
                                : p.path("port").asLong() + "/" + protocol);
                    }
                    return List.of(name(o), type, orNone(text(o, "/spec/clusterIP")), serviceExternalIp(o, type),
                            orNone(String.join(",", ports)), age(o, now), labels(o.at("/spec/selector")));
                });
    }

    private static String serviceExternalIp(JsonNode o, String type) {
        List<String> external = new ArrayList<>();
        list(o, "/spec/externalIPs").forEach(n -> external.add(n.asText()));
        switch (type) {
            case "ClusterIP", "NodePort" -> {
                return orNone(String.join(",", external));
            }
            case "LoadBalancer" -> {
                List<String> ips = new ArrayList<>(loadBalancerAddresses(o));
                ips.addAll(external);
                return ips.isEmpty() ? "<pending>" : String.join(",", ips);
            }
            case "ExternalName" -> {
                return text(o, "/spec/externalName");
            }
            default -> {
                return "<unknown>";
            }
        }
    }

    private static List<String> loadBalancerAddresses(JsonNode o) {
        List<String> result = new ArrayList<>();
        for (JsonNode ingress : list(o, "/status/loadBalancer/ingress")) {
            if (!ingress.path("ip").asText().isEmpty()) {
                result.add(ingress.path("ip").asText());
            } else if (!ingress.path("hostname").asText().isEmpty()) {
                result.add(ingress.path("hostname").asText());
            }
        }
        return result;
    }

    private static String endpoints(JsonNode o) {
        int max = 3;
        List<String> shown = new ArrayList<>();
        int count = 0;
        for (JsonNode subset : list(o, "/subsets")) {
            List<JsonNode> addresses = list(subset, "/addresses");
            List<JsonNode> ports = list(subset, "/ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (shown.size() < max) {
                        shown.add(a.path("ip").asText());
                    }
                }
                continue;
            }
            for (JsonNode p : ports) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (shown.size() < max) {
                        String ip = a.path("ip").asText();
                        String host = ip.contains(":") ? "[" + ip + "]" : ip;
                        shown.add(host + ":" + p.path("port").asLong());
                    }
                }
            }
        }
        return withMore(shown, count, max, "<none>");
    }

    private static String withMore(List<String> shown, int count, int max, String empty) {
        if (shown.isEmpty()) {
            return empty;
        }
        String joined = String.join(",", shown);
        return count > max ? joined + " + " + (count - max) + " more..." : joined;
    }

    private static Printer events(boolean eventsV1) {
        String involved = eventsV1 ? "/regarding" : "/involvedObject";
        String message = eventsV1 ? "/note" : "/message";
        String first = eventsV1 ? "/deprecatedFirstTimestamp" : "/firstTimestamp";
        String last = eventsV1 ? "/deprecatedLastTimestamp" : "/lastTimestamp";
        String countPointer = eventsV1 ? "/deprecatedCount" : "/count";
        String source = eventsV1 ? "/deprecatedSource" : "/source";
        return new Printer(List.of(
                Column.string("Last Seen", "Time since the most recent occurrence of this event."),
                Column.string("Type", "Type of this event (Normal, Warning)."),
                Column.string("Reason", "Why the action was taken, short and machine understandable."),
                Column.string("Object", "The object this event is about."),
                Column.wide("Subobject", "The field of the object this event is about, such as a container."),
                Column.wide("Source", "The component and host reporting this event."),
                Column.string("Message", "A human-readable description of the status of this operation."),
                Column.wide("First Seen", "Time since the first occurrence of this event."),
                Column.wide("Count", "The number of times this event has occurred."),
                new Column("Name", "string", "name", "The name of the event.", 1)),
                (o, now) -> {
                    String firstSeen = has(o, first) ? since(o, first, now) : since(o, "/eventTime", now);
                    String lastSeen = has(o, last) ? since(o, last, now) : firstSeen;
                    long count = number(o, countPointer);
                    if (has(o, "/series")) {
                        lastSeen = since(o, "/series/lastObservedTime", now);
                        count = number(o, "/series/count");
                    } else if (count == 0) {
                        count = 1;
                    }
                    String kind = text(o, involved + "/kind").toLowerCase(Locale.ROOT);
                    String target = text(o, involved + "/name").isEmpty() ? kind : kind + "/" + text(o, involved + "/name");
                    String component = firstNonEmpty(text(o, source + "/component"), text(o, "/reportingController"));
                    String instance = firstNonEmpty(text(o, source + "/host"), text(o, "/reportingInstance"));
                    String src = component.isEmpty() ? "" : instance.isEmpty() ? component : component + ", " + instance;
                    return List.of(lastSeen, text(o, "/type"), text(o, "/reason"), target, text(o, involved + "/fieldPath"),
                            src, text(o, message).strip(), firstSeen, count, name(o));
                });
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    private static Printer resourceQuotas() {
        return new Printer(List.of(Column.nameColumn(), Column.ageColumn(),
                Column.string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                Column.string("Limit", "Limits control the maximum amount of cpu/memory that a container may use "
                        + "independent of contention on the node.")),
                (o, now) -> {
                    Map<String, String> hard = new TreeMap<>();
                    o.at("/status/hard").fields().forEachRemaining(e -> hard.put(e.getKey(), e.getValue().asText()));
                    if (hard.isEmpty()) {
                        o.at("/spec/hard").fields().forEachRemaining(e -> hard.put(e.getKey(), e.getValue().asText()));
                    }
                    List<String> requests = new ArrayList<>();
                    List<String> limits = new ArrayList<>();
                    hard.forEach((resource, quantity) -> {
                        String used = o.at("/status/used").path(resource).asText("0");
                        String cell = resource + ": " + used + "/" + quantity;
                        (resource.startsWith("limits") ? limits : requests).add(cell);
                    });
                    return List.of(name(o), age(o, now), String.join(", ", requests), String.join(", ", limits));
                });
    }

    private static Printer componentStatuses() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Status", "Status of the component conditions."),
                Column.string("Message", "Message of the component conditions."),
                Column.string("Error", "Error of the component conditions.")),
                (o, now) -> {
                    String status = "Unknown";
                    String message = "";
                    String error = "";
                    for (JsonNode c : list(o, "/conditions")) {
                        if (c.path("type").asText().equals("Healthy")) {
                            status = c.path("status").asText().equals("True") ? "Healthy" : "Unhealthy";
                            message = c.path("message").asText();
                            error = c.path("error").asText();
                            break;
                        }
                    }
                    return List.of(name(o), status, message, error);
                });
    }

    // ---- apps, batch

    private static Printer deployments() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Ready", "Number of the pods that are ready, out of the desired number."),
                Column.string("Up-to-date", "Total number of pods that have the desired template spec."),
                Column.string("Available", "Total number of pods available (ready for at least minReadySeconds)."),
                Column.ageColumn(), containersColumn(), imagesColumn(), selectorColumn()),
                (o, now) -> {
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/template");
                    return List.of(name(o), number(o, "/status/readyReplicas") + "/" + desired(o),
                            number(o, "/status/updatedReplicas"), number(o, "/status/availableReplicas"), age(o, now),
                            joined(containers, "/name"), joined(containers, "/image"), selector(o.at("/spec/selector")));
                });
    }

    private static long desired(JsonNode o) {
        return has(o, "/spec/replicas") ? number(o, "/spec/replicas") : 1;
    }

    /** ReplicaSets (selector is a LabelSelector) and ReplicationControllers (selector is a label map). */
    private static Printer replicaCounts(String selectorPointer, boolean labelSelector) {
        return new Printer(List.of(Column.nameColumn(),
                Column.integer("Desired", "Number of desired pods."),
                Column.integer("Current", "Most recently observed number of replicas."),
                Column.integer("Ready", "The number of ready replicas."),
                Column.ageColumn(), containersColumn(), imagesColumn(), selectorColumn()),
                (o, now) -> {
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/template");
                    JsonNode sel = o.at(selectorPointer);
                    return List.of(name(o), desired(o), number(o, "/status/replicas"), number(o, "/status/readyReplicas"),
                            age(o, now), joined(containers, "/name"), joined(containers, "/image"),
                            labelSelector ? selector(sel) : labels(sel));
                });
    }

    private static Printer statefulSets() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Ready", "Number of the pods that are ready, out of the desired number."),
                Column.ageColumn(), containersColumn(), imagesColumn()),
                (o, now) -> {
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/template");
                    return List.of(name(o), number(o, "/status/readyReplicas") + "/" + desired(o), age(o, now),
                            joined(containers, "/name"), joined(containers, "/image"));
                });
    }

    private static Printer daemonSets() {
        return new Printer(List.of(Column.nameColumn(),
                Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
                Column.integer("Current", "The number of nodes running at least one daemon pod that should."),
                Column.integer("Ready", "The number of nodes that should run the daemon pod and have it ready."),
                Column.integer("Up-to-date", "The number of nodes running the updated daemon pod."),
                Column.integer("Available", "The number of nodes that should run the daemon pod and have it available."),
                Column.string("Node Selector", "The node labels the daemon pod is restricted to."),
                Column.ageColumn(), containersColumn(), imagesColumn(), selectorColumn()),
                (o, now) -> {
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/template");
                    return List.of(name(o), number(o, "/status/desiredNumberScheduled"),
                            number(o, "/status/currentNumberScheduled"), number(o, "/status/numberReady"),
                            number(o, "/status/updatedNumberScheduled"), number(o, "/status/numberAvailable"),
                            labels(o.at("/spec/template/spec/nodeSelector")), age(o, now),
                            joined(containers, "/name"), joined(containers, "/image"), selector(o.at("/spec/selector")));
                });
    }

    private static Printer jobs() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Status", "Status of the job."),
                Column.string("Completions", "The number of succeeded pods, out of the desired completions."),
                Column.string("Duration", "Time the job took to complete, or has been running."),
                Column.ageColumn(), containersColumn(), imagesColumn(), selectorColumn()),
                (o, now) -> {
                    String completions;
                    if (has(o, "/spec/completions")) {
                        completions = number(o, "/status/succeeded") + "/" + number(o, "/spec/completions");
                    } else {
                        long parallelism = number(o, "/spec/parallelism");
                        completions = parallelism > 1
                                ? number(o, "/status/succeeded") + "/1 of " + parallelism
                                : number(o, "/status/succeeded") + "/1";
                    }
                    String duration = "";
                    Instant start = instant(text(o, "/status/startTime"));
                    if (start != null) {
                        Instant end = instant(text(o, "/status/completionTime"));
                        duration = HumanDuration.format(Duration.between(start, end != null ? end : now));
                    }
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/template");
                    return List.of(name(o), jobStatus(o), completions, duration, age(o, now),
                            joined(containers, "/name"), joined(containers, "/image"), selector(o.at("/spec/selector")));
                });
    }

    private static String jobStatus(JsonNode o) {
        if (hasTrueCondition(o, "Complete")) {
            return "Complete";
        }
        if (hasTrueCondition(o, "Failed")) {
            return "Failed";
        }
        if (has(o, "/metadata/deletionTimestamp")) {
            return "Terminating";
        }
        if (hasTrueCondition(o, "SuccessCriteriaMet")) {
            return "SuccessCriteriaMet";
        }
        if (hasTrueCondition(o, "FailureTarget")) {
            return "FailureTarget";
        }
        if (hasTrueCondition(o, "Suspended")) {
            return "Suspended";
        }
        return "Running";
    }

    private static boolean hasTrueCondition(JsonNode o, String type) {
        for (JsonNode c : list(o, "/status/conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    private static Instant instant(String timestamp) {
        if (timestamp.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Printer cronJobs() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Schedule", "The schedule in Cron format."),
                Column.string("Timezone", "The time zone the schedule is read in."),
                new Column("Suspend", "boolean", "", "Whether later executions are suspended.", 0),
                Column.integer("Active", "The number of currently running jobs."),
                Column.string("Last Schedule", "When the job was last successfully scheduled."),
                Column.ageColumn(), containersColumn(), imagesColumn(), selectorColumn()),
                (o, now) -> {
                    List<JsonNode> containers = podTemplateContainers(o, "/spec/jobTemplate/spec/template");
                    String suspend = has(o, "/spec/suspend") ? (bool(o, "/spec/suspend") ? "True" : "False") : "<unset>";
                    String last = has(o, "/status/lastScheduleTime") ? since(o, "/status/lastScheduleTime", now) : "<none>";
                    return List.of(name(o), text(o, "/spec/schedule"), orNone(text(o, "/spec/timeZone")), suspend,
                            (long) size(o, "/status/active"), last, age(o, now),
                            joined(containers, "/name"), joined(containers, "/image"),
                            selector(o.at("/spec/jobTemplate/spec/selector")));
                });
    }

    // ---- other groups

    private static Printer endpointSlices() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("AddressType", "The type of address carried by this EndpointSlice."),
                Column.string("Ports", "The ports exposed by this EndpointSlice, the first three."),
                Column.string("Endpoints", "The addresses of the endpoints, the first three."),
                Column.ageColumn()),
                (o, now) -> {
                    List<String> ports = new ArrayList<>();
                    List<JsonNode> portNodes = list(o, "/ports");
                    for (JsonNode p : portNodes) {
                        if (ports.size() < 3) {
                            ports.add(p.has("port") ? p.path("port").asText()
                                    : p.has("name") ? p.path("name").asText() : "*");
                        }
                    }
                    List<String> addresses = new ArrayList<>();
                    int count = 0;
                    for (JsonNode e : list(o, "/endpoints")) {
                        for (JsonNode a : e.path("addresses")) {
                            if (addresses.size() < 3) {
                                addresses.add(a.asText());
                            }
                            count++;
                        }
                    }
                    return List.of(name(o), text(o, "/addressType"), withMore(ports, portNodes.size(), 3, "<unset>"),
                            withMore(addresses, count, 3, "<unset>"), age(o, now));
                });
    }

    private static Printer ingresses() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Class", "The name of the IngressClass this ingress belongs to."),
                Column.string("Hosts", "Hosts that incoming requests are matched against."),
                Column.string("Address", "Address is a list containing ingress points for the load-balancer."),
                Column.string("Ports", "Ports of TLS configurations that open."),
                Column.ageColumn()),
                (o, now) -> {
                    List<JsonNode> rules = list(o, "/spec/rules");
                    List<String> hosts = new ArrayList<>();
                    for (JsonNode r : rules) {
                        if (hosts.size() < 3 && !r.path("host").asText().isEmpty()) {
                            hosts.add(r.path("host").asText());
                        }
                    }
                    String hostCell = hosts.isEmpty() ? "*" : rules.size() > 3
                            ? String.join(",", hosts) + " + " + (rules.size() - 3) + " more..." : String.join(",", hosts);
                    String ports = size(o, "/spec/tls") > 0 ? "80, 443" : "80";
                    return List.of(name(o), orNone(text(o, "/spec/ingressClassName")), hostCell,
                            String.join(",", loadBalancerAddresses(o)), ports, age(o, now));
                });
    }

    private static Printer hpas() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Reference", "The kind and name of the scaled object."),
                Column.string("Targets", "The current and target value of each metric."),
                Column.string("MinPods", "Lower limit for the number of pods that can be set by the autoscaler."),
                Column.string("MaxPods", "Upper limit for the number of pods that can be set by the autoscaler."),
                Column.string("Replicas", "Current number of replicas of pods managed by this autoscaler."),
                Column.ageColumn()),
                (o, now) -> {
                    String reference = text(o, "/spec/scaleTargetRef/kind") + "/" + text(o, "/spec/scaleTargetRef/name");
                    String minPods = has(o, "/spec/minReplicas") ? String.valueOf(number(o, "/spec/minReplicas")) : "<unset>";
                    return List.of(name(o), reference, hpaTargets(o), minPods, number(o, "/spec/maxReplicas"),
                            number(o, "/status/currentReplicas"), age(o, now));
                });
    }

    private static String hpaTargets(JsonNode o) {
        List<JsonNode> specs = list(o, "/spec/metrics");
        if (specs.isEmpty()) {
            return "<none>";
        }
        List<String> parts = new ArrayList<>();
        List<JsonNode> current = list(o, "/status/currentMetrics");
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            String type = spec.path("type").asText();
            if (!type.equals("Resource") && !type.equals("ContainerResource")) {
                parts.add("<unknown>/" + spec.path("type").asText());
                continue;
            }
            String field = type.equals("Resource") ? "resource" : "containerResource";
            JsonNode target = spec.path(field).path("target");
            JsonNode status = i < current.size() ? current.get(i).path(field).path("current") : null;
            String resource = spec.path(field).path("name").asText();
            if (target.has("averageUtilization")) {
                String now = status != null && status.has("averageUtilization")
                        ? status.path("averageUtilization").asText() + "%" : "<unknown>";
                parts.add(resource + ": " + now + "/" + target.path("averageUtilization").asText() + "%");
            } else {
                String value = target.has("averageValue") ? target.path("averageValue").asText() : target.path("value").asText();
                String now = status != null && status.has("averageValue") ? status.path("averageValue").asText() : "<unknown>";
                parts.add(resource + ": " + now + "/" + value);
            }
        }
        return String.join(", ", parts);
    }

    private static Printer pdbs() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Min Available", "The minimum number or percentage of pods that must stay available."),
                Column.string("Max Unavailable", "The maximum number or percentage of pods that may be unavailable."),
                Column.integer("Allowed Disruptions", "Number of pod disruptions that are currently allowed."),
                Column.ageColumn()),
                (o, now) -> List.of(name(o), has(o, "/spec/minAvailable") ? text(o, "/spec/minAvailable") : "N/A",
                        has(o, "/spec/maxUnavailable") ? text(o, "/spec/maxUnavailable") : "N/A",
                        number(o, "/status/disruptionsAllowed"), age(o, now)));
    }

    private static Printer priorityClasses() {
        return new Printer(List.of(Column.nameColumn(),
                Column.integer("Value", "The priority of pods of this class."),
                new Column("Global-Default", "boolean", "", "Whether this is the default class of pods without one.", 0),
                Column.ageColumn(),
                Column.string("PreemptionPolicy", "The policy for preempting pods of lower priority.")),
                (o, now) -> List.of(name(o), number(o, "/value"), bool(o, "/globalDefault"), age(o, now),
                        has(o, "/preemptionPolicy") ? text(o, "/preemptionPolicy") : "PreemptLowerPriority"));
    }

    private static Printer bindings() {
        return new Printer(List.of(Column.nameColumn(),
                Column.string("Role", "The role this binding grants, as Kind/name."),
                Column.ageColumn(),
                Column.wide("Users", "Users in the binding."),
                Column.wide("Groups", "Groups in the binding."),
                Column.wide("ServiceAccounts", "ServiceAccounts in the binding.")),
                (o, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> serviceAccounts = new ArrayList<>();
                    for (JsonNode s : list(o, "/subjects")) {
                        switch (s.path("kind").asText()) {
                            case "User" -> users.add(s.path("name").asText());
                            case "Group" -> groups.add(s.path("name").asText());
                            case "ServiceAccount" -> serviceAccounts.add(s.path("namespace").asText() + ":" + s.path("name").asText());
                            default -> {
                            }
                        }
                    }
                    return List.of(name(o), text(o, "/roleRef/kind") + "/" + text(o, "/roleRef/name"), age(o, now),
                            String.join(", ", users), String.join(", ", groups), String.join(", ", serviceAccounts));
                });
    }
}
