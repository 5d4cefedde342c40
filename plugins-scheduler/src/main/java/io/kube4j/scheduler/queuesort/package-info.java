/**
 * The {@code PrioritySort} queue-sort plugin: the scheduling queue's default order, higher
 * {@code spec.priority} first, then the pod that entered the queue earlier.
 */
package io.kube4j.scheduler.queuesort;
