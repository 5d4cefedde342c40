/**
 * The scheduling queue: pods waiting for a scheduling cycle, as kube-scheduler's
 * {@code PriorityQueue} keeps them (an active heap ordered by the QueueSort plugin, a back-off
 * heap, and a pool of unschedulable pods that cluster events move back).
 */
package io.kube4j.runtime.scheduler.queue;
