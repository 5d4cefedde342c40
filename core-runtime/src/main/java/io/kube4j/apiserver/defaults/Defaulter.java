package io.kube4j.apiserver.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;

/**
 * kube-apiserver's defaulting of the built-in types: what a client left out, the server fills in before it
 * validates and stores the object, so that {@code kubectl get -o yaml} shows the same fields it would on a real
 * cluster. Types kube does not default are left as they are.
 */
public final class Defaulter {
    private Defaulter() {
    }

    /**
     * The defaults that must wait until mutating admission ran, because an admission plugin
     * resolves them when it is enabled: a Pod's priority without a PriorityClass. In place; idempotent.
     */
    public static void afterAdmission(ResourceType type, ObjectNode object) {
        if (type.group().isEmpty() && type.kind().equals("Pod")) {
            PodDefaults.priority(object);
        }
    }

    /**
     * Applies kube-apiserver's defaults for {@code type} to {@code object} in place, on create and on update alike.
     * Idempotent. Never touches metadata.name, uid, resourceVersion or creationTimestamp: the server sets those.
     * A Job's generated selector needs its uid, so it is added only once metadata.uid is present.
     */
    public static void apply(ResourceType type, ObjectNode object) {
        switch (type.group() + "/" + type.kind()) {
            case "/Pod" -> PodDefaults.pod(object);
            case "/ReplicationController" -> WorkloadDefaults.replicationController(object);
            case "/Service" -> CoreDefaults.service(object);
            case "/Namespace" -> CoreDefaults.namespace(object);
            case "/Secret" -> CoreDefaults.secret(object);
            case "/Node" -> CoreDefaults.node(object);
            case "/Endpoints" -> CoreDefaults.endpoints(object);
            case "/LimitRange" -> CoreDefaults.limitRange(object);
            case "/ResourceQuota" -> CoreDefaults.resourceQuota(object);
            case "apps/Deployment" -> WorkloadDefaults.deployment(object);
            case "apps/ReplicaSet" -> WorkloadDefaults.replicaSet(object);
            case "apps/StatefulSet" -> WorkloadDefaults.statefulSet(object);
            case "apps/DaemonSet" -> WorkloadDefaults.daemonSet(object);
            case "batch/Job" -> WorkloadDefaults.job(object);
            case "batch/CronJob" -> WorkloadDefaults.cronJob(object);
            case "discovery.k8s.io/EndpointSlice" -> CoreDefaults.endpointSlice(object);
            case "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding" ->
                    CoreDefaults.roleBinding(object);
            case "scheduling.k8s.io/PriorityClass" -> CoreDefaults.priorityClass(object);
            case "autoscaling/HorizontalPodAutoscaler" -> CoreDefaults.horizontalPodAutoscaler(object);
            default -> {
                // kube has no defaults for the other registered types (ConfigMap, Lease, Event, Ingress, ...).
            }
        }
    }
}
