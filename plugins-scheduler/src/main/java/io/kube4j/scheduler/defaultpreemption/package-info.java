/**
 * {@code DefaultPreemption}, kube-scheduler's PostFilter plugin: when no node fits a pod, evict
 * the fewest and least important lower-priority pods from one node, respecting
 * PodDisruptionBudgets when it can, and nominate that node for the pod.
 */
package io.kube4j.scheduler.defaultpreemption;
