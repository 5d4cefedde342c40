/**
 * The {@code NodePorts} filter: a pod's {@code hostPort}s must be free on the node (same protocol
 * and port conflict when either binds all addresses or both bind the same one).
 */
package io.kube4j.scheduler.nodeports;
