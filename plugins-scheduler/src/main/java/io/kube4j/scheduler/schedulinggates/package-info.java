/**
 * The {@code SchedulingGates} PreEnqueue plugin: a pod with {@code spec.schedulingGates} stays
 * out of the active queue until its last gate is removed.
 */
package io.kube4j.scheduler.schedulinggates;
