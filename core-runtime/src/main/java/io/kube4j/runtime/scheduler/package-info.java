/**
 * The scheduler component (kube-scheduler): informers on Pods and Nodes, the scheduling queue,
 * a cache of nodes with the pods assumed on them, and the scheduling framework that runs a
 * profile's plugins at each extension point. Start it with
 * {@link io.kube4j.runtime.scheduler.Scheduler#start}; the profile's {@code scheduler:} section
 * configures it.
 */
package io.kube4j.runtime.scheduler;
