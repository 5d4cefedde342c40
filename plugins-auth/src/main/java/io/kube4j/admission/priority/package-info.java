/**
 * The {@code Priority} admission plugin: resolves a new pod's {@code priorityClassName} to its
 * {@code spec.priority} and {@code preemptionPolicy}, keeps a single global default
 * PriorityClass, and protects the built-in system classes from deletion.
 */
package io.kube4j.admission.priority;
