package io.kube4j.api.resource;

import static io.kube4j.api.resource.ResourceType.builder;

import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;

/** The table of built-in resource types, with kube-apiserver's discovery data. */
final class BuiltInTypes {
    private BuiltInTypes() {
    }

    static final List<ResourceType> ALL = List.of(
            // core/v1
            builder("", "v1", "Namespace", "namespaces", Namespace.class).clusterScoped().shortNames("ns")
                    .verbs("create", "delete", "get", "list", "patch", "update", "watch")
                    .subresources("status", "finalize").build(),
            builder("", "v1", "Pod", "pods", Pod.class).shortNames("po").categories("all")
                    .subresources("status", "binding", "log", "eviction", "ephemeralcontainers").build(),
            builder("", "v1", "Service", "services", Service.class).shortNames("svc").categories("all")
                    .verbs("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
                    .subresources("status", "proxy").build(),
            builder("", "v1", "Endpoints", "endpoints", Endpoints.class).shortNames("ep").build(),
            builder("", "v1", "Node", "nodes", Node.class).clusterScoped().shortNames("no")
                    .subresources("status").build(),
            builder("", "v1", "Event", "events", Event.class).shortNames("ev").build(),
            builder("", "v1", "ConfigMap", "configmaps", ConfigMap.class).shortNames("cm").build(),
            builder("", "v1", "Secret", "secrets", Secret.class).build(),
            builder("", "v1", "ServiceAccount", "serviceaccounts", ServiceAccount.class).shortNames("sa")
                    .subresources("token").build(),
            builder("", "v1", "ReplicationController", "replicationcontrollers", ReplicationController.class)
                    .shortNames("rc").categories("all").subresources("status", "scale").build(),
            builder("", "v1", "LimitRange", "limitranges", LimitRange.class).shortNames("limits").build(),
            builder("", "v1", "ResourceQuota", "resourcequotas", ResourceQuota.class).shortNames("quota")
                    .subresources("status").build(),
            builder("", "v1", "ComponentStatus", "componentstatuses", ComponentStatus.class).clusterScoped()
                    .shortNames("cs").verbs("get", "list").build(),
            // apps/v1
            builder("apps", "v1", "Deployment", "deployments", Deployment.class).shortNames("deploy")
                    .categories("all").subresources("status", "scale").build(),
            builder("apps", "v1", "ReplicaSet", "replicasets", ReplicaSet.class).shortNames("rs")
                    .categories("all").subresources("status", "scale").build(),
            builder("apps", "v1", "DaemonSet", "daemonsets", DaemonSet.class).shortNames("ds")
                    .categories("all").subresources("status").build(),
            builder("apps", "v1", "StatefulSet", "statefulsets", StatefulSet.class).shortNames("sts")
                    .categories("all").subresources("status", "scale").build(),
            builder("apps", "v1", "ControllerRevision", "controllerrevisions", ControllerRevision.class).build(),
            // batch/v1
            builder("batch", "v1", "Job", "jobs", Job.class).categories("all").subresources("status").build(),
            builder("batch", "v1", "CronJob", "cronjobs", CronJob.class).shortNames("cj").categories("all")
                    .subresources("status").build(),
            // coordination.k8s.io/v1
            builder("coordination.k8s.io", "v1", "Lease", "leases", Lease.class).build(),
            // events.k8s.io/v1
            builder("events.k8s.io", "v1", "Event", "events", io.fabric8.kubernetes.api.model.events.v1.Event.class)
                    .shortNames("ev").build(),
            // discovery.k8s.io/v1
            builder("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", EndpointSlice.class).build(),
            // rbac.authorization.k8s.io/v1
            builder("rbac.authorization.k8s.io", "v1", "Role", "roles", Role.class).build(),
            builder("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", RoleBinding.class).build(),
            builder("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", ClusterRole.class)
                    .clusterScoped().build(),
            builder("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings",
                    ClusterRoleBinding.class).clusterScoped().build(),
            // networking.k8s.io/v1
            builder("networking.k8s.io", "v1", "Ingress", "ingresses", Ingress.class).shortNames("ing")
                    .subresources("status").build(),
            // autoscaling/v2
            builder("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                    HorizontalPodAutoscaler.class).shortNames("hpa").categories("all").subresources("status").build(),
            // policy/v1
            builder("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", PodDisruptionBudget.class)
                    .shortNames("pdb").subresources("status").build(),
            // scheduling.k8s.io/v1
            builder("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", PriorityClass.class)
                    .clusterScoped().shortNames("pc").build(),
            // reviews: evaluated on create, never stored
            builder("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
                    SelfSubjectAccessReview.class).clusterScoped().virtual().build(),
            builder("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                    SelfSubjectReview.class).clusterScoped().virtual().build());
}
