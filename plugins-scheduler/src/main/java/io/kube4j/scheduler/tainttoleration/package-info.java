/**
 * The {@code TaintToleration} plugin: a node's {@code NoSchedule} and {@code NoExecute} taints
 * keep out pods that do not tolerate them (Filter); {@code PreferNoSchedule} taints make a node
 * less attractive per untolerated taint (Score, normalized in reverse).
 */
package io.kube4j.scheduler.tainttoleration;
