package io.kube4j.apiserver.openapi;

import java.util.Map;

/**
 * Strategic-merge keys of fields added to Kubernetes after v1.14, which the descriptions file cannot
 * know. Without them {@code kubectl apply} would replace these lists instead of merging them.
 */
final class PatchKeys {
    private record Key(String mergeKey, String strategy) {
    }

    private static final Map<String, Key> KEYS = Map.ofEntries(
            Map.entry("io.k8s.api.core.v1.PodSpec/ephemeralContainers", new Key("name", "merge")),
            Map.entry("io.k8s.api.core.v1.PodSpec/topologySpreadConstraints", new Key("topologyKey", "merge")),
            Map.entry("io.k8s.api.core.v1.PodSpec/resourceClaims", new Key("name", "merge,retainKeys")),
            Map.entry("io.k8s.api.core.v1.PodSpec/schedulingGates", new Key("name", "merge")),
            Map.entry("io.k8s.api.core.v1.PodStatus/podIPs", new Key("ip", "merge")),
            Map.entry("io.k8s.api.core.v1.PodStatus/hostIPs", new Key("ip", "merge")),
            Map.entry("io.k8s.api.core.v1.PodStatus/resourceClaimStatuses", new Key("name", "merge,retainKeys")),
            Map.entry("io.k8s.api.core.v1.NodeSpec/podCIDRs", new Key("", "merge")),
            Map.entry("io.k8s.api.apps.v1.DeploymentStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.apps.v1.StatefulSetStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.apps.v1.DaemonSetStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.apps.v1.ReplicaSetStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.batch.v1.JobStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.policy.v1.PodDisruptionBudgetStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.core.v1.ServiceStatus/conditions", new Key("type", "merge")),
            Map.entry("io.k8s.api.core.v1.ServiceSpec/ports", new Key("port", "merge")));

    private PatchKeys() {
    }

    static String mergeKey(String definition, String property) {
        Key key = KEYS.get(definition + "/" + property);
        return key == null ? "" : key.mergeKey();
    }

    static String strategy(String definition, String property) {
        Key key = KEYS.get(definition + "/" + property);
        return key == null ? "" : key.strategy();
    }
}
