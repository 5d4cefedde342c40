package io.kube4j.api.node;

/** Which Linux namespace a container gets: the pod's, its own, or the node's ({@code hostNetwork}, {@code hostPID}). */
public enum NamespaceMode {
    POD, CONTAINER, NODE
}
