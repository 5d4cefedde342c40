package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.object;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * kube-apiserver's validation of the built-in types: the checks users hit, with kube's field paths and wording,
 * so that kubectl prints what it prints against a real cluster.
 *
 * <p>Call it as kube-apiserver's registry does: on an object already defaulted (see
 * {@link io.kube4j.apiserver.defaults.Defaulter}), after the server has set what it owns (a name generated from
 * generateName, metadata.uid) and, on update, carried over what the client may leave out (uid, creationTimestamp,
 * a Service's cluster IPs). Allocation checks (cluster IP and node port ranges, conflicts) are the allocators' job.
 * Stateless and thread-safe; never throws for bad input, only for null arguments.
 */
public final class Validator {
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final List<String> STATUS_COUNTERS = List.of("replicas", "updatedReplicas", "readyReplicas",
            "availableReplicas", "unavailableReplicas", "currentReplicas", "fullyLabeledReplicas",
            "observedGeneration", "collisionCount", "currentNumberScheduled", "numberMisscheduled",
            "desiredNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable", "numberUnavailable",
            "active", "succeeded", "failed", "terminating", "ready");

    private Validator() {
    }

    /**
     * Errors of a create ({@code old} empty) or of an update ({@code old} present: immutability checks as well).
     * An empty list means valid. {@code subresource} is "" or "status"; a status update checks metadata and
     * status only, as kube's status strategies do.
     */
    public static List<FieldError> validate(ResourceType type, ObjectNode object, Optional<ObjectNode> old,
                                            String subresource) {
        requireNonNull(type, "type is null");
        requireNonNull(object, "object is null");
        requireNonNull(old, "old is null");
        requireNonNull(subresource, "subresource is null");
        if (!type.persisted()) {
            return List.of();
        }
        Errors errors = new Errors();
        if (old.isPresent()) {
            MetaValidation.objectMetaUpdate(errors, object, old.get());
        } else {
            MetaValidation.objectMeta(errors, object, type.namespaced(), nameRule(type));
        }
        if (subresource.equals("status")) {
            status(errors, object);
            return errors.list();
        }
        typeRules(errors, type, object);
        old.ifPresent(previous -> update(errors, type, object, previous));
        return errors.list();
    }

    private static MetaValidation.NameRule nameRule(ResourceType type) {
        if (type.group().equals(RBAC)) {
            return MetaValidation.PATH_SEGMENT;
        }
        if (type.group().isEmpty()) {
            switch (type.kind()) {
                case "Service" -> {
                    return MetaValidation.DNS1035_LABEL;
                }
                case "Namespace" -> {
                    return MetaValidation.DNS_LABEL;
                }
                default -> {
                }
            }
        }
        return MetaValidation.DNS_SUBDOMAIN;
    }

    private static void typeRules(Errors errors, ResourceType type, ObjectNode object) {
        switch (type.group() + "/" + type.kind()) {
            case "/Pod" -> PodValidation.pod(errors, object);
            case "/ReplicationController" -> WorkloadValidation.replicationController(errors, object);
            case "/Service" -> ServiceValidation.service(errors, object);
            case "/ConfigMap" -> OtherValidation.configMap(errors, object);
            case "/Secret" -> OtherValidation.secret(errors, object);
            case "/Namespace" -> OtherValidation.namespace(errors, object);
            case "/Node" -> OtherValidation.node(errors, object);
            case "/Endpoints" -> OtherValidation.endpoints(errors, object);
            case "/Event" -> OtherValidation.event(errors, object);
            case "apps/Deployment" -> WorkloadValidation.deployment(errors, object);
            case "apps/ReplicaSet" -> WorkloadValidation.replicaSet(errors, object);
            case "apps/StatefulSet" -> WorkloadValidation.statefulSet(errors, object);
            case "apps/DaemonSet" -> WorkloadValidation.daemonSet(errors, object);
            case "batch/Job" -> WorkloadValidation.job(errors, object);
            case "batch/CronJob" -> WorkloadValidation.cronJob(errors, object);
            case "coordination.k8s.io/Lease" -> OtherValidation.lease(errors, object);
            case "discovery.k8s.io/EndpointSlice" -> OtherValidation.endpointSlice(errors, object);
            case RBAC + "/Role" -> OtherValidation.role(errors, object, true);
            case RBAC + "/ClusterRole" -> OtherValidation.role(errors, object, false);
            case RBAC + "/RoleBinding" -> OtherValidation.roleBinding(errors, object, true);
            case RBAC + "/ClusterRoleBinding" -> OtherValidation.roleBinding(errors, object, false);
            case "networking.k8s.io/Ingress" -> OtherValidation.ingress(errors, object);
            case "autoscaling/HorizontalPodAutoscaler" -> OtherValidation.horizontalPodAutoscaler(errors, object);
            case "policy/PodDisruptionBudget" -> OtherValidation.podDisruptionBudget(errors, object);
            case "scheduling.k8s.io/PriorityClass" -> OtherValidation.priorityClass(errors, object);
            default -> {
                // Metadata rules only (ServiceAccount, LimitRange, ResourceQuota, events.k8s.io Event, ...).
            }
        }
    }

    private static void update(Errors errors, ResourceType type, ObjectNode object, ObjectNode old) {
        switch (type.group() + "/" + type.kind()) {
            case "/Pod" -> PodValidation.podUpdate(errors, object, old);
            case "/Service" -> ServiceValidation.serviceUpdate(errors, object, old);
            case "/Node" -> OtherValidation.nodeUpdate(errors, object, old);
            case "/ConfigMap" -> OtherValidation.immutableData(errors, object, old, List.of("data", "binaryData"));
            case "/Secret" -> {
                errors.immutable("type", object.get("type"), old.get("type"));
                OtherValidation.immutableData(errors, object, old, List.of("data"));
            }
            case "apps/Deployment", "apps/ReplicaSet", "apps/DaemonSet" ->
                    WorkloadValidation.immutableSelector(errors, object(object, "spec").get("selector"),
                            object(old, "spec").get("selector"));
            case "apps/StatefulSet" -> WorkloadValidation.statefulSetUpdate(errors, object, old);
            case "batch/Job" -> WorkloadValidation.jobUpdate(errors, object, old);
            case RBAC + "/RoleBinding", RBAC + "/ClusterRoleBinding" ->
                    OtherValidation.roleBindingUpdate(errors, object, old);
            case "scheduling.k8s.io/PriorityClass" -> OtherValidation.priorityClassUpdate(errors, object, old);
            default -> {
            }
        }
    }

    /** The counters of workload statuses may not go negative; other status fields are the writer's business. */
    private static void status(Errors errors, ObjectNode object) {
        JsonNode status = object(object, "status");
        for (String counter : STATUS_COUNTERS) {
            errors.nonNegative("status." + counter, status.get(counter));
        }
    }
}
