package io.kube4j.api.proxy;

/** {@code spec.internalTrafficPolicy} and {@code spec.externalTrafficPolicy}: to any endpoint, or only to this node's. */
public enum TrafficPolicy {
    CLUSTER, LOCAL
}
