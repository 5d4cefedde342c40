/**
 * The node lifecycle controller: marks a node whose kubelet went silent {@code Unknown}, keeps the
 * condition taints ({@code node.kubernetes.io/not-ready}, {@code unreachable}, pressure,
 * {@code unschedulable}) in step with its conditions, and marks the pods of a node that is not ready
 * not ready.
 */
package io.kube4j.controllers.nodelifecycle;
