/**
 * The {@code NodeUnschedulable} filter: a cordoned node ({@code spec.unschedulable}) takes only
 * pods that tolerate the {@code node.kubernetes.io/unschedulable:NoSchedule} taint.
 */
package io.kube4j.scheduler.nodeunschedulable;
